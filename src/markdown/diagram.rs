//! Mermaid diagrams: a ```` ```mermaid ```` fence becomes a figure holding the diagram's source
//! as a plain code block, so the page reads whole without JavaScript. The theme's `diagrams.js`
//! draws it in the browser when lectern found the `mermaid` package (see `crate::config::mermaid`).
//!
//! In: a fence's info string and its text. Out: the figure's HTML, with the name screen readers
//! and listeners get for the diagram ([`label`]) in `data-label`.

use super::escape;

/// The class of the figure a diagram becomes: `diagrams.js` and the speech stage find it by it.
pub const FIGURE_CLASS: &str = "diagram";

/// Whether a fence's info string (`mermaid`, `mermaid title="…"`) asks for a diagram.
pub(crate) fn is_diagram(info: Option<&str>) -> bool {
    info.and_then(|i| i.split_whitespace().next()).is_some_and(|lang| lang.eq_ignore_ascii_case("mermaid"))
}

/// The figure for a diagram whose source is `code`.
pub(crate) fn figure_html(code: &str) -> String {
    let mut html = String::with_capacity(code.len() * 2 + 300);
    html.push_str(&format!(
        "<figure class=\"{FIGURE_CLASS}\" data-diagram=\"mermaid\" data-label=\"{}\">\n",
        escape(&label(code))
    ));
    html.push_str(
        "<div class=\"code-block\" data-lang=\"mermaid\"><pre class=\"code hl-code\" tabindex=\"0\"><code class=\"language-mermaid\">",
    );
    for line in code.split_inclusive('\n') {
        html.push_str("<span class=\"code-line\">");
        html.push_str(&escape(line));
        html.push_str("</span>");
    }
    html.push_str("</code></pre></div>\n</figure>\n");
    html
}

/// What a diagram is called: its kind, and its title when it has one (`accTitle:` or the
/// `title:` of its front matter) — "Flowchart: Release process", "Sequence diagram".
pub fn label(code: &str) -> String {
    let kind = kind(code);
    match title(code) {
        Some(title) => format!("{kind}: {title}"),
        None => kind.to_string(),
    }
}

/// The title an author gave the diagram: `accTitle: …` (mermaid's accessible title), else the
/// `title:` of the diagram's front matter (`---` lines at its top).
fn title(code: &str) -> Option<String> {
    let acc = code.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("accTitle")?.trim_start().strip_prefix(':')?;
        Some(rest.trim().to_string())
    });
    acc.or_else(|| {
        let (front, _) = front_matter(code);
        front.iter().find_map(|line| Some(unquote(line.trim().strip_prefix("title:")?.trim()).to_string()))
    })
    .filter(|t| !t.is_empty())
}

/// The lines of the diagram's front matter, and the lines after it.
fn front_matter(code: &str) -> (Vec<&str>, Vec<&str>) {
    let lines: Vec<&str> = code.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty());
    if let Some(start) = start.filter(|&s| lines[s].trim() == "---")
        && let Some(end) = lines[start + 1..].iter().position(|l| l.trim() == "---")
    {
        let end = start + 1 + end;
        return (lines[start + 1..end].to_vec(), lines[end + 1..].to_vec());
    }
    (Vec::new(), lines)
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

/// The kind of diagram, from the keyword that opens it (after front matter, `%%` comments and
/// `%%{init}%%` directives).
fn kind(code: &str) -> &'static str {
    let (_, body) = front_matter(code);
    let keyword = body
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with("%%"))
        .and_then(|l| l.split(|c: char| c.is_whitespace() || c == ':' || c == ';').next())
        .unwrap_or("");
    match keyword {
        "graph" | "flowchart" | "flowchart-elk" => "Flowchart",
        "sequenceDiagram" => "Sequence diagram",
        "classDiagram" | "classDiagram-v2" => "Class diagram",
        "stateDiagram" | "stateDiagram-v2" => "State diagram",
        "erDiagram" => "Entity relationship diagram",
        "journey" => "User journey",
        "gantt" => "Gantt chart",
        "pie" => "Pie chart",
        "quadrantChart" => "Quadrant chart",
        "requirementDiagram" => "Requirement diagram",
        "gitGraph" => "Git graph",
        "C4Context" | "C4Container" | "C4Component" | "C4Dynamic" | "C4Deployment" => "C4 diagram",
        "mindmap" => "Mind map",
        "timeline" => "Timeline",
        "sankey" | "sankey-beta" => "Sankey diagram",
        "xychart" | "xychart-beta" => "XY chart",
        "block" | "block-beta" => "Block diagram",
        "packet" | "packet-beta" => "Packet diagram",
        "kanban" => "Kanban board",
        "architecture" | "architecture-beta" => "Architecture diagram",
        "radar" | "radar-beta" => "Radar chart",
        "treemap" | "treemap-beta" => "Treemap",
        _ => "Diagram",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_kind_and_the_title() {
        for (code, expected) in [
            ("graph TD\n  A --> B\n", "Flowchart"),
            ("flowchart LR; A-->B", "Flowchart"),
            ("sequenceDiagram\n  Alice->>Bob: Hi\n", "Sequence diagram"),
            ("%% a comment\n%%{init: {'theme': 'forest'}}%%\nstateDiagram-v2\n  [*] --> On\n", "State diagram"),
            ("---\ntitle: \"Release: steps\"\n---\nflowchart TD\n  A-->B\n", "Flowchart: Release: steps"),
            (
                "---\ntitle: Deploy\n---\nsequenceDiagram\n  accTitle: Who calls whom\n  A->>B: x\n",
                "Sequence diagram: Who calls whom",
            ),
            ("pie title Pets\n  \"Dogs\" : 3\n", "Pie chart"),
            ("gantt\n  accTitle : Plan  \n", "Gantt chart: Plan"),
            ("zenuml\n  A.b()\n", "Diagram"),
            ("", "Diagram"),
            ("---\ntitle:\n---\ngraph TD\n", "Flowchart"),
        ] {
            assert_eq!(label(code), expected, "{code:?}");
        }
    }

    #[test]
    fn info_strings_that_ask_for_a_diagram() {
        for (info, expected) in [
            (Some("mermaid"), true),
            (Some("Mermaid"), true),
            (Some("mermaid title=\"x\""), true),
            (Some("mermaidjs"), false),
            (Some("text"), false),
            (None, false),
        ] {
            assert_eq!(is_diagram(info), expected, "{info:?}");
        }
    }

    #[test]
    fn the_figure_keeps_the_source_escaped_line_by_line() {
        let html = figure_html("graph TD\n  A[\"<b>\"] --> B & C\n");
        assert!(html.starts_with("<figure class=\"diagram\" data-diagram=\"mermaid\" data-label=\"Flowchart\">\n"));
        assert!(html.contains(
            "<code class=\"language-mermaid\"><span class=\"code-line\">graph TD\n</span><span class=\"code-line\">  A[&quot;&lt;b&gt;&quot;] --&gt; B &amp; C\n</span></code>"
        ));
    }
}
