//! Problems as you type: the real `lectern serve` on 127.0.0.1 checks the pages each rebuild
//! touched and reports broken links, anchors, images and unknown components in its terminal
//! (stderr) and as a `problems` message on the live-reload socket; a fix clears them, and a
//! deleted page reports the pages whose links it broke. Fixture: `tests/fixtures/serve-problems`.

mod serve_support;
mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use serve_support::{Serve, connect, save_atomically, wait_for};

const EDIT_ME_FILE: &str = "docs/guide/edit-me.md";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// `(location, message)` of each problem of a `problems` or `hello` message.
fn problems(message: &Value) -> Vec<(String, String)> {
    message["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems list in {message}"))
        .iter()
        .map(|p| {
            (
                p["location"].as_str().unwrap_or_default().to_string(),
                p["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The first `problems` message whose list satisfies `pred`.
async fn wait_problems(
    socket: &mut serve_support::Socket,
    limit: Duration,
    pred: impl Fn(&[(String, String)]) -> bool,
) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.checked_duration_since(Instant::now()).expect("no matching problems message in time");
        let message = wait_for(socket, "problems", left).await.expect("no problems message in time");
        if pred(&problems(&message)) {
            return message;
        }
    }
}

#[test]
fn a_broken_link_added_while_serving_is_reported_and_cleared_by_the_fix() {
    let site = support::copy_fixture("serve-problems");
    let serve = Serve::start(site.path());
    let path = site.path().join(EDIT_ME_FILE);
    let good = std::fs::read_to_string(&path).unwrap();
    runtime().block_on(async {
        let (mut socket, hello) = connect(&serve.socket_url("/guide/edit-me/", "")).await;
        // The fixture has no problems: the first check (every page) finds none.
        assert_eq!(problems(&hello), Vec::<(String, String)>::new(), "{hello}");

        let from = serve.stderr_len();
        let broken = good.replace(
            "Original marker paragraph",
            "See [nowhere](/guide/nowhere), [a missing section](./target.md#setpu),\n\
             ![a picture](./missing.png) and <Carousel>slides</Carousel>.\n\nOriginal marker paragraph",
        );
        save_atomically(&path, &broken);
        let message = wait_problems(&mut socket, Duration::from_secs(5), |list| !list.is_empty()).await;
        let list = problems(&message);
        let has = |location: &str, words: &str| list.iter().any(|(l, m)| l == location && m.contains(words));
        assert!(has("docs/guide/edit-me.md:6:5", "link '/guide/nowhere' matches no page"), "{list:?}");
        assert!(has("docs/guide/edit-me.md:6:32", "anchor '#setpu' does not exist on '/guide/target'"), "{list:?}");
        assert!(has("docs/guide/edit-me.md:7:1", "image './missing.png' matches no file"), "{list:?}");
        assert!(has("docs/guide/edit-me.md:7:33", "component <Carousel> is not known"), "{list:?}");
        assert_eq!(list.len(), 4, "{list:?}");
        // A broken link is an error under `on_broken_links: error`, yet it is a notice, not the
        // error overlay: the page was rebuilt and served.
        let severity: Vec<&str> =
            message["problems"].as_array().unwrap().iter().filter_map(|p| p["severity"].as_str()).collect();
        assert!(severity.contains(&"error") && severity.contains(&"warning"), "{message}");
        let printed = serve.wait_stderr(from, "problems on 1 page", Duration::from_secs(2));
        assert!(
            printed.contains("error: docs/guide/edit-me.md:6:5: link '/guide/nowhere' matches no page"),
            "{printed}"
        );
        assert!(printed.contains("warning: docs/guide/edit-me.md:6:32: anchor '#setpu'"), "{printed}");
        assert!(printed.contains("help: did you mean './target.md#setup'?"), "{printed}");
        assert!(
            printed.contains("warning: docs/guide/edit-me.md:7:33: component <Carousel> is not known"),
            "{printed}"
        );

        // A tab opened now learns the problems at once.
        let (_, hello) = connect(&serve.socket_url("/", "")).await;
        assert_eq!(problems(&hello).len(), 4, "{hello}");

        let from = serve.stderr_len();
        save_atomically(&path, &good);
        let cleared = wait_problems(&mut socket, Duration::from_secs(5), |list| list.is_empty()).await;
        assert_eq!(cleared["problems"], serde_json::json!([]));
        let printed = serve.wait_stderr(from, "no problems left", Duration::from_secs(2));
        assert!(
            printed.contains("fixed: docs/guide/edit-me.md:6:5: link '/guide/nowhere' matches no page"),
            "{printed}"
        );
        let (_, hello) = connect(&serve.socket_url("/", "")).await;
        assert_eq!(problems(&hello), Vec::<(String, String)>::new(), "{hello}");
    });
}

#[test]
fn a_fix_or_a_break_in_another_page_updates_the_problems() {
    let site = support::copy_fixture("serve-problems");
    let serve = Serve::start(site.path());
    let path = site.path().join(EDIT_ME_FILE);
    let good = std::fs::read_to_string(&path).unwrap();
    runtime().block_on(async {
        let (mut socket, _) = connect(&serve.socket_url("/guide/edit-me/", "")).await;
        save_atomically(&path, &good.replace("./other.md", "./target.md#cleanup"));
        let list = problems(&wait_problems(&mut socket, Duration::from_secs(5), |l| !l.is_empty()).await);
        assert_eq!(list.len(), 1, "{list:?}");
        assert!(list[0].1.contains("anchor '#cleanup' does not exist on '/guide/target'"), "{list:?}");
        // The heading is written on the target page: the link on edit-me works now.
        let target = site.path().join("docs/guide/target.md");
        let text = std::fs::read_to_string(&target).unwrap();
        save_atomically(&target, &format!("{text}\n## Cleanup\n\nHow to clean up.\n"));
        wait_problems(&mut socket, Duration::from_secs(5), |l| l.is_empty()).await;

        // Renaming a heading breaks the links to it on other, unedited pages: they are reported.
        let from = serve.stderr_len();
        save_atomically(
            &target,
            &format!("{text}\n## Cleanup\n\nHow to clean up.\n").replace("## Setup", "## Installing"),
        );
        let list = problems(&wait_problems(&mut socket, Duration::from_secs(5), |l| !l.is_empty()).await);
        assert_eq!(
            list,
            [("docs/index.md:8:47".to_string(), "anchor '#setup' does not exist on '/guide/target'".to_string())],
        );
        serve.wait_stderr(from, "warning: docs/index.md:8:47: anchor '#setup'", Duration::from_secs(2));
        save_atomically(&target, &format!("{text}\n## Cleanup\n\nHow to clean up.\n"));
        wait_problems(&mut socket, Duration::from_secs(5), |l| l.is_empty()).await;
    });
}

#[test]
fn deleting_a_page_reports_the_pages_that_linked_to_it() {
    let site = support::copy_fixture("serve-problems");
    let serve = Serve::start(site.path());
    let target = site.path().join("docs/guide/target.md");
    let text = std::fs::read_to_string(&target).unwrap();
    runtime().block_on(async {
        let (mut socket, hello) = connect(&serve.socket_url("/", "")).await;
        assert!(problems(&hello).is_empty(), "{hello}");
        let from = serve.stderr_len();
        std::fs::remove_file(&target).unwrap();
        let message = wait_problems(&mut socket, Duration::from_secs(5), |l| !l.is_empty()).await;
        let mut pages: Vec<String> =
            problems(&message).iter().map(|(l, _)| l.split(':').next().unwrap_or_default().to_string()).collect();
        pages.dedup();
        assert_eq!(pages, ["docs/guide/other.md", "docs/index.md"], "{message}");
        let list = problems(&message);
        assert!(
            list.iter().any(|(l, m)| l == "docs/index.md:8:6" && m == "link '/guide/target' matches no page"),
            "{list:?}"
        );
        assert!(
            list.iter().any(|(l, m)| l == "docs/guide/other.md:6:5" && m == "link './target.md' matches no page"),
            "{list:?}"
        );
        let printed = serve.wait_stderr(from, "was deleted or renamed", Duration::from_secs(2));
        assert!(
            printed.contains(
                "note: docs/guide/target.md (/guide/target) was deleted or renamed; links to it broke on: \
                 docs/guide/other.md, docs/index.md"
            ),
            "{printed}"
        );

        // Putting it back (under the same name) mends every link.
        std::fs::write(&target, &text).unwrap();
        wait_problems(&mut socket, Duration::from_secs(5), |l| l.is_empty()).await;
    });
}

#[test]
fn problems_already_there_at_start_are_reported_once_the_server_is_ready() {
    let site = support::copy_fixture("serve-problems");
    let path = site.path().join(EDIT_ME_FILE);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("./other.md", "./otter.md")).unwrap();
    let serve = Serve::start(site.path());
    let printed = serve.wait_stderr(0, "1 problem on 1 page", Duration::from_secs(10));
    let ready = printed.find("ready in").expect("a ready line");
    let reported =
        printed.find("error: docs/guide/edit-me.md:6:33: link './otter.md' matches no page").expect(&printed);
    assert!(ready < reported, "the first check runs after the server is ready:\n{printed}");
    assert!(printed.contains("help: did you mean './other.md'? (the file guide/other.md)"), "{printed}");
    runtime().block_on(async {
        let (_, hello) = connect(&serve.socket_url("/", "")).await;
        assert_eq!(
            problems(&hello),
            [("docs/guide/edit-me.md:6:33".to_string(), "link './otter.md' matches no page".to_string())]
        );
    });
}
