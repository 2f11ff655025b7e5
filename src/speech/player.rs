//! The player markup, rendered on the server above each speech block and enhanced by
//! `theme/speech.js`.
//!
//! In: a block's sentences (and the words the page shows for each), their audio (URLs and cue
//! times) when pre-rendered, and labels. Out: HTML — the Listen/Pause toggle and controls, a seek
//! bar (seconds of the recording, or sentences), elapsed and total time and a download link with
//! a recording, a status live region that takes no room, and the data speech.js reads (sentences,
//! cues, the highlight fragments of long sentences). The custom controls start `hidden` so that without JavaScript nothing promises
//! what cannot work; pre-rendered audio then still plays through the browser's own `<audio
//! controls>`, and the text is always there to read.

use serde::Serialize;

use super::sentences::highlight_fragments;
use crate::markdown::escape;

/// Where a block's audio lives, when it was pre-rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioLinks {
    pub mp3_url: String,
    pub vtt_url: String,
    /// Each sentence's (start, end), in seconds.
    pub cues: Vec<(f64, f64)>,
}

/// The data `speech.js` reads from the player's JSON script.
#[derive(Serialize)]
struct PlayerData<'a> {
    sentences: &'a [String],
    /// Per sentence, the page's words it reads when they differ from the spoken ones (`null`
    /// otherwise; empty for an image, video or code note): what the highlight looks for.
    #[serde(skip_serializing_if = "Option::is_none")]
    shown: Option<Vec<Option<&'a str>>>,
    /// Per long sentence, where its highlight fragments start, in the letters and digits of its
    /// shown words (empty for the others); absent when no sentence is long.
    #[serde(skip_serializing_if = "Option::is_none")]
    fragments: Option<Vec<Vec<usize>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cues: Option<Vec<[f64; 2]>>,
    title: &'a str,
    lang: &'a str,
}

/// Speeds offered, as (value, label).
pub const SPEEDS: [(&str, &str); 6] =
    [("0.75", "0.75×"), ("1", "1×"), ("1.25", "1.25×"), ("1.5", "1.5×"), ("1.75", "1.75×"), ("2", "2×")];

/// What a player needs to know.
pub struct PlayerSpec<'a> {
    /// "Listen to this section" or "Listen to this page".
    pub label: &'a str,
    /// Page title, for lock-screen (Media Session) metadata.
    pub title: &'a str,
    pub lang: &'a str,
    pub sentences: &'a [String],
    /// Each sentence's words as the page shows them (may be empty: then the sentences are).
    pub shown: &'a [String],
    pub audio: Option<&'a AudioLinks>,
}

/// The player's HTML.
pub fn player_html(spec: &PlayerSpec<'_>) -> String {
    let shown: Vec<Option<&str>> = spec
        .sentences
        .iter()
        .zip(spec.shown.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(said, shown)| shown.filter(|s| letters(s) != letters(said)).map(String::as_str))
        .collect();
    let fragments: Vec<Vec<usize>> =
        spec.sentences.iter().zip(&shown).map(|(said, shown)| highlight_fragments(shown.unwrap_or(said))).collect();
    let data = PlayerData {
        sentences: spec.sentences,
        fragments: fragments.iter().any(|f| !f.is_empty()).then_some(fragments),
        shown: shown.iter().any(Option::is_some).then_some(shown),
        cues: spec.audio.map(|a| a.cues.iter().map(|&(s, e)| [round_ms(s), round_ms(e)]).collect()),
        title: spec.title,
        lang: spec.lang,
    };
    // `<` escaped so that no sentence can close the script element.
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into()).replace('<', "\\u003c");
    let mode = if spec.audio.is_some() { "audio" } else { "voices" };
    let label = escape(spec.label);
    let mut html = format!(
        "<div class=\"speech-player\" role=\"group\" aria-label=\"{label}\" data-speech-mode=\"{mode}\" hidden>\n<div class=\"speech-controls\">\n"
    );
    // The toggle's words say what it does next (Listen / Pause); speech.js changes them.
    html.push_str(&format!(
        "<button type=\"button\" class=\"speech-button speech-toggle\">{}{}<span class=\"speech-toggle-label\">Listen</span></button>\n",
        icon("speech-icon-play", "M8 5v14l11-7z"),
        icon("speech-icon-pause", "M6 5h4v14H6zm8 0h4v14h-4z"),
    ));
    for (class, name, path) in [
        ("speech-prev", "Previous sentence", "M6 6h2v12H6zm3.5 6 8.5 6V6z"),
        ("speech-next", "Next sentence", "M16 6h2v12h-2zM6 18l8.5-6L6 6z"),
        ("speech-stop", "Stop", "M6 6h12v12H6z"),
    ] {
        html.push_str(&format!(
            "<button type=\"button\" class=\"speech-button {class}\" aria-label=\"{name}\" title=\"{name}\">{}</button>\n",
            icon("", path)
        ));
    }
    html.push_str("<label class=\"speech-field\"><span>Speed</span> <select class=\"speech-rate\">");
    for (value, text) in SPEEDS {
        let selected = if value == "1" { " selected" } else { "" };
        html.push_str(&format!("<option value=\"{value}\"{selected}>{text}</option>"));
    }
    html.push_str("</select></label>\n");
    html.push_str("<label class=\"speech-field speech-voice-field\" hidden><span>Voice</span> <select class=\"speech-voice\"></select></label>\n");
    html.push_str("<span class=\"speech-progress\" aria-hidden=\"true\"></span>\n</div>\n");
    html.push_str(&seek_bar(spec));
    // A live region for changes of state; it takes no room (`visually-hidden`).
    html.push_str("<p class=\"speech-status visually-hidden\" role=\"status\"></p>\n");
    html.push_str(&format!("<script type=\"application/json\" class=\"speech-data\">{json}</script>\n</div>\n"));
    if let Some(audio) = spec.audio {
        html.push_str(&format!(
            "<audio class=\"speech-audio\" controls preload=\"none\" src=\"{}\"><track kind=\"metadata\" src=\"{}\" srclang=\"{}\" label=\"Sentences\" default></audio>\n",
            escape(&audio.mp3_url),
            escape(&audio.vtt_url),
            escape(spec.lang)
        ));
    }
    html
}

/// The seek bar and times: over the recording's seconds with audio, over the sentences with
/// browser voices; a download link for the recording.
fn seek_bar(spec: &PlayerSpec<'_>) -> String {
    let (max, total) = match spec.audio {
        Some(a) => {
            let end = a.cues.last().map_or(0.0, |c| c.1);
            (format!("{}", end.ceil()), clock(end))
        }
        None => (spec.sentences.len().saturating_sub(1).to_string(), String::new()),
    };
    // Whole seconds with audio (arrow keys step one second), whole sentences with voices.
    let mut html = format!(
        "<div class=\"speech-position\"><input type=\"range\" class=\"speech-seek\" min=\"0\" max=\"{max}\" step=\"1\" value=\"0\" aria-label=\"Position\">"
    );
    if spec.audio.is_some() {
        html.push_str(&format!(
            "<span class=\"speech-time\"><span class=\"speech-elapsed\">0:00</span> / <span class=\"speech-total\">{total}</span></span>"
        ));
    }
    if let Some(audio) = spec.audio {
        html.push_str(&format!(
            "<a class=\"speech-download\" href=\"{}\" download>Download audio<span class=\"visually-hidden\"> (MP3)</span></a>",
            escape(&audio.mp3_url)
        ));
    }
    html.push_str("</div>\n");
    html
}

/// `65.2` → `1:05`.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn icon(class: &str, path: &str) -> String {
    let class = if class.is_empty() { "speech-icon".to_string() } else { format!("speech-icon {class}") };
    format!(
        "<svg class=\"{class}\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\" focusable=\"false\"><path fill=\"currentColor\" d=\"{path}\"/></svg>"
    )
}

/// Letters and digits, lowercased: what the highlight compares (as `normalise` in speech.js).
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_of(html: &str) -> serde_json::Value {
        let json = html.split("class=\"speech-data\">").nth(1).and_then(|r| r.split("</script>").next()).unwrap();
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn long_sentences_carry_their_highlight_fragments() {
        let long = "These guidelines are not intended to be prescriptive on what developers should test but to ensure that with a consistent understanding of our tests, it will be easy to grasp by other developers.";
        let sentences = [long.to_string(), "Short one.".to_string()];
        let spec =
            PlayerSpec { label: "Listen", title: "T", lang: "en", sentences: &sentences, shown: &[], audio: None };
        let data = data_of(&player_html(&spec));
        // "these…test" is 71 letters, "but…tests" 53: fragments start at 71 and 124.
        assert_eq!(data["fragments"], serde_json::json!([[71, 124], []]));
        let short = ["Short one.".to_string()];
        let spec = PlayerSpec { sentences: &short, ..spec };
        assert!(data_of(&player_html(&spec)).get("fragments").is_none(), "no long sentence, no fragments");
    }

    #[test]
    fn the_seek_bar_runs_over_seconds_with_audio_and_sentences_without() {
        let sentences = ["One.".to_string(), "Two.".to_string(), "Three.".to_string()];
        let audio = AudioLinks {
            mp3_url: "/audio/a&b.mp3".into(),
            vtt_url: "/audio/a.vtt".into(),
            cues: vec![(0.0, 1.0), (1.3, 2.3), (2.6, 65.2)],
        };
        let spec = PlayerSpec {
            label: "Listen",
            title: "T",
            lang: "en",
            sentences: &sentences,
            shown: &[],
            audio: Some(&audio),
        };
        let html = player_html(&spec);
        assert!(html.contains("class=\"speech-seek\" min=\"0\" max=\"66\""), "{html}");
        assert!(html.contains("<span class=\"speech-total\">1:05</span>"), "{html}");
        assert!(html.contains("<a class=\"speech-download\" href=\"/audio/a&amp;b.mp3\" download>"), "{html}");
        let html = player_html(&PlayerSpec { audio: None, ..spec });
        assert!(html.contains("max=\"2\""), "{html}");
        assert!(!html.contains("speech-total") && !html.contains("speech-download"), "{html}");
    }
}
