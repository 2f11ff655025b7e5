//! `lectern serve` answers like a static host: the speech fixture (a `<TextToSpeech>` block whose
//! audio a fake engine made, MP3-encoded by lectern) is served by the real binary on 127.0.0.1 and
//! asked over raw HTTP for byte ranges of its MP3 (206 with exactly those bytes, 416 past the
//! end), for files by their `ETag` (`If-None-Match` gives 304), and for every kind of file the
//! site has (their `Content-Type`); pages are `no-cache`, so a browser asks again after an edit.

mod serve_support;
mod speech_support;
mod support;

use std::time::Duration;

use serve_support::{Serve, attrs};

/// (status, lower-cased headers, body) of `METHOD path` sent with `extra` headers.
fn ask(serve: &Serve, method: &str, path: &str, extra: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    serve.request_with(method, path, extra)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The speech fixture, built once so the speech cache holds the audio, then served; with the
/// MP3's and the VTT's paths as the served page names them.
fn served_speech_site() -> (tempfile::TempDir, Serve, String, String) {
    let site = speech_support::site_with_fake_engine("speech");
    speech_support::build(site.path());
    let serve = Serve::start(site.path());
    let (status, page) = serve.get("/intro/");
    assert_eq!(status, 200, "{page}");
    let mp3 = attrs(&page, "audio.speech-audio", "src").pop().expect("the served page has audio");
    let vtt = attrs(&page, "audio.speech-audio track", "src").pop().expect("the audio has cues");
    (site, serve, mp3, vtt)
}

#[test]
fn audio_is_served_in_ranges_with_206_and_416() {
    let (_site, serve, mp3, _) = served_speech_site();
    let (status, headers, whole) = ask(&serve, "GET", &mp3, &[]);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "accept-ranges"), Some("bytes"));
    assert!(whole.len() > 1000 && (whole.starts_with(b"ID3") || whole[0] == 0xff), "an MP3: {:?}", &whole[..4]);
    let len = whole.len();

    for (range, first, last) in [
        ("bytes=100-200".to_string(), 100, 200),
        ("bytes=0-0".to_string(), 0, 0),
        (format!("bytes={}-", len - 37), len - 37, len - 1),
        ("bytes=-500".to_string(), len - 500, len - 1),
        (format!("bytes={}-{}", len - 10, len + 1000), len - 10, len - 1),
    ] {
        let (status, headers, body) = ask(&serve, "GET", &mp3, &[("Range", &range)]);
        assert_eq!(status, 206, "{range}");
        assert_eq!(header(&headers, "content-range"), Some(format!("bytes {first}-{last}/{len}").as_str()), "{range}");
        assert_eq!(header(&headers, "content-length"), Some((last - first + 1).to_string().as_str()), "{range}");
        assert_eq!(header(&headers, "content-type"), Some("audio/mpeg"));
        assert_eq!(body, whole[first..=last], "{range}");
    }

    for range in [format!("bytes={len}-"), format!("bytes={}-{}", len + 5, len + 10), "bytes=-0".to_string()] {
        let (status, headers, body) = ask(&serve, "GET", &mp3, &[("Range", &range)]);
        assert_eq!(status, 416, "{range}");
        assert_eq!(header(&headers, "content-range"), Some(format!("bytes */{len}").as_str()), "{range}");
        assert!(body.is_empty());
    }

    // Several ranges at once: the whole file, which HTTP allows.
    let (status, _, body) = ask(&serve, "GET", &mp3, &[("Range", "bytes=0-9,20-29")]);
    assert_eq!((status, body.len()), (200, len));
    // A range from an older version of the file (If-Range names another tag): the whole file.
    let (status, _, body) = ask(&serve, "GET", &mp3, &[("Range", "bytes=0-9"), ("If-Range", "\"older\"")]);
    assert_eq!((status, body.len()), (200, len));
}

#[test]
fn files_carry_a_strong_etag_and_if_none_match_gives_304() {
    let (_site, serve, mp3, vtt) = served_speech_site();
    for path in [mp3.as_str(), vtt.as_str(), "/intro/", "/assets/favicon.svg"] {
        let (status, headers, body) = ask(&serve, "GET", path, &[]);
        assert_eq!(status, 200, "{path}");
        let tag = header(&headers, "etag").unwrap_or_else(|| panic!("{path} has no ETag")).to_string();
        assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() > 10, "a strong tag: {tag}");
        assert_eq!(header(&headers, "cache-control"), Some("no-cache"), "{path}");
        assert!(!body.is_empty());

        let (status, headers, body) = ask(&serve, "GET", path, &[("If-None-Match", &tag)]);
        assert_eq!(status, 304, "{path}");
        assert_eq!(header(&headers, "etag"), Some(tag.as_str()));
        assert!(body.is_empty());
        let (status, ..) = ask(&serve, "HEAD", path, &[("If-None-Match", &format!("\"x\", W/{tag}"))]);
        assert_eq!(status, 304, "{path}: a list, and a weak form of the tag, match too");
        let (status, _, again) = ask(&serve, "GET", path, &[("If-None-Match", "\"something-else\"")]);
        assert_eq!((status, again.len()), (200, body_len(&serve, path)), "{path}");
    }
    // Different bytes, different tags.
    let tag = |path: &str| header(&ask(&serve, "GET", path, &[]).1, "etag").map(str::to_string);
    assert_ne!(tag(&mp3), tag(&vtt));
    assert_eq!(tag(&mp3), tag(&mp3));
}

fn body_len(serve: &Serve, path: &str) -> usize {
    ask(serve, "GET", path, &[]).2.len()
}

#[test]
fn an_edited_page_gets_a_new_etag_so_the_browser_never_keeps_it() {
    let (site, serve, ..) = served_speech_site();
    let (_, headers, before) = ask(&serve, "GET", "/plain/", &[]);
    let tag = header(&headers, "etag").expect("an ETag").to_string();
    let file = site.path().join("docs/plain.md");
    let text = std::fs::read_to_string(&file).expect("reading docs/plain.md");
    serve_support::save_atomically(&file, &format!("{text}\nA sentence added while serving.\n"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (status, headers, body) = ask(&serve, "GET", "/plain/", &[("If-None-Match", &tag)]);
        if status == 200 && String::from_utf8_lossy(&body).contains("A sentence added while serving.") {
            assert_ne!(header(&headers, "etag"), Some(tag.as_str()));
            assert_ne!(body, before);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the edit never showed: still {status}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn content_types_are_those_of_a_static_host() {
    let (_site, serve, mp3, vtt) = served_speech_site();
    let (_, page) = serve.get("/intro/");
    let css = attrs(&page, "style[data-href]", "data-href").pop().expect("a stylesheet");
    let scripts = attrs(&page, "script[data-scripts]", "data-scripts").pop().expect("the page's scripts");
    let js = scripts.split(' ').next().expect("a script").to_string();
    for (path, want) in [
        (mp3.as_str(), "audio/mpeg"),
        (vtt.as_str(), "text/vtt; charset=utf-8"),
        ("/intro/", "text/html; charset=utf-8"),
        (css.as_str(), "text/css; charset=utf-8"),
        (js.as_str(), "text/javascript; charset=utf-8"),
        ("/search/manifest.json", "application/json"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        // The search index is written in the background after startup.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let headers = loop {
            let (status, headers, _) = ask(&serve, "GET", path, &[]);
            if status == 200 || std::time::Instant::now() > deadline {
                assert_eq!(status, 200, "{path}");
                break headers;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(header(&headers, "content-type"), Some(want), "{path}");
        let (status, headers, body) = ask(&serve, "HEAD", path, &[]);
        assert_eq!((status, body.len()), (200, 0), "HEAD {path}");
        assert_eq!(header(&headers, "content-type"), Some(want), "HEAD {path}");
    }
}
