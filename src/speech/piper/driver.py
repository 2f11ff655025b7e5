# lectern's Piper worker: loads one voice once, then synthesises sentence after sentence.
# Run as `python3 -c <this> MODEL.onnx MODEL.onnx.json`; lectern starts one per core.
#
# Request on stdin:  u32 LE length, then that many bytes of UTF-8: the length-scale factor
#                    (175 / words per minute) on the first line, the sentence after it.
# Reply on stdout:   u8 status (0 = audio, 1 = error, 2 = voice loaded), u32 LE sample rate,
#                    u32 LE length, then that many bytes: 16-bit LE mono PCM, or the error
#                    message in UTF-8. Status 2 (no bytes) is sent once, when the voice is loaded.
# End of input ends the worker.
import json
import struct
import sys

import onnxruntime
from piper import PiperVoice
from piper.config import PiperConfig, SynthesisConfig


def load(model, config):
    with open(config, "r", encoding="utf-8") as f:
        settings = PiperConfig.from_dict(json.load(f))
    # One thread per worker: lectern runs one worker per core, so more would only contend.
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=settings)


def read_exactly(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main():
    voice = load(sys.argv[1], sys.argv[2])
    rate = voice.config.sample_rate
    base_scale = voice.config.length_scale
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(struct.pack("<BII", 2, rate, 0))
    stdout.flush()
    while True:
        header = read_exactly(stdin, 4)
        if header is None:
            return
        (n,) = struct.unpack("<I", header)
        body = read_exactly(stdin, n)
        if body is None:
            return
        try:
            factor, text = body.decode("utf-8").split("\n", 1)
            config = SynthesisConfig(length_scale=base_scale * float(factor))
            # Piper cuts a text into its own sentences, one chunk each: joined, they are the
            # whole of lectern's sentence, so its cue stays exact.
            audio = b"".join(chunk.audio_int16_bytes for chunk in voice.synthesize(text, syn_config=config))
            stdout.write(struct.pack("<BII", 0, rate, len(audio)) + audio)
        except Exception as error:  # one bad sentence must not end the worker
            message = f"{type(error).__name__}: {error}".encode("utf-8")
            stdout.write(struct.pack("<BII", 1, rate, len(message)) + message)
        stdout.flush()


main()
