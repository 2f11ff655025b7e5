# lectern's Piper probe: what is installed, without loading onnxruntime (fast, so a build can ask).
# Prints one JSON object: Python's executable, piper-tts's and onnxruntime's versions (null when
# missing), the folders searched, and every voice model found in pip voice packages
# (`*_piper_voice/data/*.onnx`) with a SHA-256 of the model and of its .json.
import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import site
import sys


def version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


folders = []
for folder in site.getsitepackages() + [site.getusersitepackages()] + sys.path:
    if folder and os.path.isdir(folder) and os.path.realpath(folder) not in folders:
        folders.append(os.path.realpath(folder))
voices = []
extra = [os.path.realpath(p) for p in sys.argv[1:] if os.path.isfile(p)]
for folder in folders:
    for model in sorted(glob.glob(os.path.join(folder, "*_piper_voice", "data", "*.onnx"))):
        if os.path.isfile(model + ".json"):
            voices.append({"model": model, "sha256": digest(model) + digest(model + ".json")})
for model in extra:
    if os.path.isfile(model + ".json"):
        voices.append({"model": model, "sha256": digest(model) + digest(model + ".json")})
piper = version("piper-tts") if importlib.util.find_spec("piper") else None
print(json.dumps({
    "executable": os.path.realpath(sys.executable),
    "piper": piper,
    "onnxruntime": version("onnxruntime"),
    "folders": folders,
    "voices": voices,
}))
