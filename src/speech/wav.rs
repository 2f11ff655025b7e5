//! WAV in and out: reads the RIFF/WAVE files speech engines write (PCM 8/16/24/32-bit or
//! 32-bit float, any channel count) into mono 16-bit samples, and writes mono 16-bit WAV.
//!
//! In: bytes from an engine's stdout. Out: [`Pcm`]. Pure.

use anyhow::{Context, bail};

/// Mono 16-bit audio.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pcm {
    pub sample_rate: u32,
    pub samples: Vec<i16>,
}

impl Pcm {
    /// Length in seconds.
    pub fn seconds(&self) -> f64 {
        if self.sample_rate == 0 { 0.0 } else { self.samples.len() as f64 / f64::from(self.sample_rate) }
    }
}

/// Parses a WAV file. espeak-ng writes `0xFFFFFFFF` as the data size when streaming to a pipe,
/// so a data chunk may run to the end of the file whatever its header says.
pub fn parse_wav(bytes: &[u8]) -> anyhow::Result<Pcm> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        bail!("not a WAV file (no RIFF/WAVE header; {} bytes)", bytes.len());
    }
    let mut pos = 12;
    let mut format: Option<(u16, u16, u32, u16)> = None;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32::from_le_bytes([bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]]) as usize;
        let body_start = pos + 8;
        let body_end = body_start.saturating_add(size).min(bytes.len());
        let body = &bytes[body_start..body_end];
        match id {
            b"fmt " => {
                if body.len() < 16 {
                    bail!("WAV fmt chunk too short");
                }
                let le16 = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
                let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
                let mut tag = le16(0);
                if tag == 0xFFFE && body.len() >= 26 {
                    tag = le16(24); // WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
                }
                format = Some((tag, le16(2), rate, le16(14)));
            }
            b"data" => {
                let (tag, channels, rate, bits) = format.context("WAV data chunk before its fmt chunk")?;
                return Ok(Pcm { sample_rate: rate, samples: to_mono16(body, tag, channels, bits)? });
            }
            _ => {}
        }
        pos = body_start.saturating_add(size + (size & 1));
    }
    bail!("WAV file has no data chunk")
}

fn to_mono16(data: &[u8], tag: u16, channels: u16, bits: u16) -> anyhow::Result<Vec<i16>> {
    let channels = usize::from(channels.max(1));
    let width = usize::from(bits / 8);
    if width == 0 {
        bail!("WAV sample size of {bits} bits is not supported");
    }
    let sample = |b: &[u8]| -> anyhow::Result<f64> {
        Ok(match (tag, bits) {
            (1, 8) => (f64::from(b[0]) - 128.0) / 128.0,
            (1, 16) => f64::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0,
            (1, 24) => f64::from(i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) / 8_388_608.0,
            (1, 32) => f64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])) / 2_147_483_648.0,
            (3, 32) => f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            _ => bail!("WAV format {tag} with {bits}-bit samples is not supported (use PCM)"),
        })
    };
    if (tag, bits, channels) == (1, 16, 1) {
        return Ok(data.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect());
    }
    let frame = width * channels;
    let mut out = Vec::with_capacity(data.len() / frame.max(1));
    for f in data.chunks_exact(frame) {
        let mut sum = 0.0;
        for c in 0..channels {
            sum += sample(&f[c * width..(c + 1) * width])?;
        }
        out.push(((sum / channels as f64) * 32768.0).round().clamp(-32768.0, 32767.0) as i16);
    }
    Ok(out)
}

/// A mono 16-bit WAV file of `pcm`.
pub fn write_wav(pcm: &Pcm) -> Vec<u8> {
    let data_len = (pcm.samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&pcm.sample_rate.to_le_bytes());
    out.extend_from_slice(&(pcm.sample_rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in &pcm.samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// `pcm` at `rate`, by linear interpolation (engines rarely change rate between sentences).
pub fn resample(pcm: &Pcm, rate: u32) -> Pcm {
    if pcm.sample_rate == rate || pcm.sample_rate == 0 || pcm.samples.is_empty() {
        return Pcm { sample_rate: rate, samples: pcm.samples.clone() };
    }
    let ratio = f64::from(pcm.sample_rate) / f64::from(rate);
    let n = (pcm.samples.len() as f64 / ratio).round() as usize;
    let last = pcm.samples.len() - 1;
    let samples = (0..n)
        .map(|i| {
            let x = i as f64 * ratio;
            let (j, frac) = (x.floor() as usize, x.fract());
            let (a, b) = (f64::from(pcm.samples[j.min(last)]), f64::from(pcm.samples[(j + 1).min(last)]));
            (a + (b - a) * frac).round() as i16
        })
        .collect();
    Pcm { sample_rate: rate, samples }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_streamed_sizes() {
        let pcm = Pcm { sample_rate: 22_050, samples: vec![0, 1000, -1000, i16::MAX, i16::MIN] };
        let mut bytes = write_wav(&pcm);
        assert_eq!(parse_wav(&bytes).expect("valid"), pcm);
        // As espeak-ng writes to a pipe: sizes unknown.
        bytes[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(parse_wav(&bytes).expect("valid").samples.len(), 5);
        assert!(parse_wav(b"RIFF1234WAVEjunk").is_err());
        assert!(parse_wav(b"hello").is_err());
    }

    #[test]
    fn stereo_becomes_mono_and_resampling_keeps_duration() {
        let mut bytes = write_wav(&Pcm { sample_rate: 8000, samples: vec![100, 300, -50, 50] });
        bytes[22] = 2; // channels
        let pcm = parse_wav(&bytes).expect("valid");
        assert_eq!(pcm.samples, vec![200, 0]);
        let long = Pcm { sample_rate: 16_000, samples: vec![0; 16_000] };
        assert_eq!(resample(&long, 22_050).samples.len(), 22_050);
    }
}
