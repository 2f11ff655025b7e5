//! The index and the query are tokenised by one definition written twice: `src/search/tokenize.rs`
//! (the index) and `tokens` in `theme/search.js` (the query, in the browser). This test runs both
//! on the same table of inputs — accents, case, digits, CJK, punctuation, scripts with special
//! case rules — with Node running the very `search.js` that builds ship, and wants the same terms.

mod support;

use lectern::search::tokenize::terms;
use std::process::Command;

const INPUTS: &[&str] = &[
    "Install the SDK",
    "Café CAFÉ cafe\u{301} cafés",
    "Ärger über Straße STRASSE ẞ",
    "naïve façade jalapeño résumé Ångström",
    "ΣΟΦΟΣ σοφός Ὀδυσσεύς",
    "İstanbul ısı DİNÇ",
    "Łódź Dvořák ﬁnance",
    "v2.0.1 404 3rd 1,000 ½ ² Ⅻ ١٢٣",
    "数据库 setup・アプリ ガイド",
    "한국어 검색",
    "snake_case-name.v2 don't e-mail foo@bar.com a/b\\c",
    "«quoted» “smart” — dash… (parens) [brackets] {braces}",
    "emoji 🚀 launch 👍🏽 ok",
    "Tab\tnew\nline\u{a0}nbsp\u{200b}zwsp",
    "Привет мир ЁЛКА",
    "עברית العربية हिन्दी",
    "0123456789abcdef0123456789abcdef0 short 0123456789abcdef0123456789abcdef",
    "",
];

#[test]
fn rust_and_javascript_tokenizers_agree_on_a_table_of_inputs() {
    if support::find_on_path("node").is_none() {
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"skipped: node not found\n");
        if std::env::var("LECTERN_REQUIRE").unwrap_or_default().split(',').any(|n| n.trim() == "node") {
            panic!("LECTERN_REQUIRE names node, but it was not found");
        }
        return;
    }
    let module = support::manifest_dir().join("theme/search.js");
    let script = format!(
        "const {{ tokens }} = await import({module});\n\
         const inputs = JSON.parse(process.argv[1]);\n\
         console.log(JSON.stringify(inputs.map((text) => tokens(text).map((t) => t.term))));",
        module = serde_json::to_string(&format!("file://{}", module.display())).expect("path as JSON"),
    );
    let output = Command::new("node")
        .args(["--input-type=module", "-e", &script, &serde_json::to_string(INPUTS).expect("inputs as JSON")])
        .output()
        .expect("running node");
    assert!(output.status.success(), "node failed: {}", String::from_utf8_lossy(&output.stderr));
    let from_js: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).expect("node printed JSON");
    assert_eq!(from_js.len(), INPUTS.len());
    let mut differences = Vec::new();
    for (input, js) in INPUTS.iter().zip(&from_js) {
        let rust = terms(input);
        if &rust != js {
            differences.push(format!("{input:?}\n  rust: {rust:?}\n  js:   {js:?}"));
        }
    }
    assert!(differences.is_empty(), "the tokenizers differ:\n{}", differences.join("\n"));
    // The table means something: folding happened on both sides.
    assert_eq!(from_js[1], ["cafe", "cafe", "cafe", "cafes"]);
    assert_eq!(terms(INPUTS[8])[..3], ["数", "据", "库"]);
}
