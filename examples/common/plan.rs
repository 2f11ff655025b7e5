//! The shape of a generated site, decided before any text is written: folders, pages, titles
//! and headings, so that pages can link to each other's headings.
//!
//! Folder 0 is the docs folder itself and holds only the home page (`index.md`). The other
//! folders form a complete 10-ary tree below it, numbered breadth-first (folder `k` has children
//! `10k+1 ..= 10k+10`), each holding up to 10 pages; depth therefore grows with the logarithm of
//! the page count (100 pages: 1 level, 10,000: 3).

use super::rng::Rng;
use super::text;
use super::words::slug;

/// Pages per folder, and subfolders per folder.
pub const FAN_OUT: usize = 10;

/// A folder of the generated docs tree.
#[derive(Debug, Clone)]
pub struct Folder {
    /// On-disk name with its number prefix: `03-release-pipelines` (empty for the docs folder).
    pub name: String,
    /// Sidebar label: `Release Pipelines`.
    pub label: String,
    /// Position among its siblings; after the folder's own pages.
    pub position: usize,
    /// Folder indices from the top level down to this one (empty for the docs folder).
    pub chain: Vec<usize>,
    /// Subfolders, in order.
    pub children: Vec<usize>,
    /// Pages, in order; an `index.md` first when there is one.
    pub pages: Vec<usize>,
}

/// A heading of a page.
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: usize,
    pub text: String,
    /// Its github-slugger id (unique within the page by construction).
    pub id: String,
}

/// A page of the generated site.
#[derive(Debug, Clone)]
pub struct Page {
    pub folder: usize,
    /// `04-configure-retries.md` or `index.md`.
    pub file: String,
    pub id: String,
    pub title: String,
    pub position: usize,
    pub headings: Vec<Heading>,
    /// Whether the body is wrapped in `<TextToSpeech>`.
    pub speech: bool,
}

/// The whole site's shape.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub folders: Vec<Folder>,
    pub pages: Vec<Page>,
}

impl Plan {
    /// Folder path relative to the docs folder: `01-a/04-b`.
    pub fn folder_path(&self, folder: usize) -> String {
        let names: Vec<&str> = self.folders[folder].chain.iter().map(|&f| self.folders[f].name.as_str()).collect();
        names.join("/")
    }

    /// Page path relative to the docs folder: `01-a/04-b/03-c.md`.
    pub fn page_path(&self, page: usize) -> String {
        let p = &self.pages[page];
        if p.folder == 0 { p.file.clone() } else { format!("{}/{}", self.folder_path(p.folder), p.file) }
    }

    /// A relative link from page `from` to page `to`: `./03-c.md`, `../../02-x/01-y.md`.
    pub fn relative_link(&self, from: usize, to: usize) -> String {
        let here = &self.folders[self.pages[from].folder].chain;
        let there = &self.folders[self.pages[to].folder].chain;
        let common = here.iter().zip(there).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<&str> = vec![".."; here.len() - common];
        if parts.is_empty() {
            parts.push(".");
        }
        parts.extend(there[common..].iter().map(|&f| self.folders[f].name.as_str()));
        parts.push(&self.pages[to].file);
        parts.join("/")
    }
}

/// Plans a site of `pages` pages for `seed`: the home page, then folders of ten.
pub fn plan(pages: usize, seed: u64, site_title: &str) -> Plan {
    let folder_count = 1 + (pages - 1).div_ceil(FAN_OUT);
    let mut rng = Rng::stream(seed, u64::MAX);
    let root = Folder {
        name: String::new(),
        label: site_title.to_string(),
        position: 0,
        chain: Vec::new(),
        children: Vec::new(),
        pages: Vec::new(),
    };
    let mut folders = vec![root];
    for k in 1..folder_count {
        let parent = (k - 1) / FAN_OUT;
        let folder = new_folder(k, &folders[parent].chain, &mut rng);
        folders[parent].children.push(k);
        folders.push(folder);
    }
    let mut plan = Plan { seed, folders, pages: Vec::with_capacity(pages) };
    for k in 0..folder_count {
        let with_index = k == 0 || rng.chance(33);
        let count = if k == 0 { 1 } else { FAN_OUT.min(pages - plan.pages.len()) };
        for slot in 0..count {
            let index = plan.pages.len();
            let page = new_page(&plan.folders[k], k, slot, with_index && slot == 0, Rng::stream(seed, index as u64));
            plan.folders[k].pages.push(index);
            plan.pages.push(page);
        }
    }
    dedupe_ids(&mut plan);
    plan
}

/// Folder `k` (1-based; 0 is the docs folder) with the chain of its parent.
fn new_folder(k: usize, parent_chain: &[usize], rng: &mut Rng) -> Folder {
    let position = (k - 1) % FAN_OUT + 1;
    let label = text::folder_label(rng);
    Folder {
        name: format!("{position:02}-{}", slug(&label)),
        label,
        position: FAN_OUT + position,
        chain: parent_chain.iter().copied().chain([k]).collect(),
        children: Vec::new(),
        pages: Vec::new(),
    }
}

fn new_page(folder: &Folder, k: usize, slot: usize, is_index: bool, mut rng: Rng) -> Page {
    let title = if is_index { folder.label.clone() } else { text::page_title(&mut rng) };
    let (file, id) = if is_index {
        ("index.md".to_string(), "index".to_string())
    } else {
        (format!("{:02}-{}.md", slot + 1, slug(&title)), slug(&title))
    };
    Page {
        folder: k,
        file,
        id,
        title,
        position: slot + 1,
        headings: text::headings(&mut rng),
        speech: rng.below(3) == 0,
    }
}

/// Two pages of one folder with the same title would share an id (and Docusaurus refuses
/// that); the later ones get `-2`, `-3`, ...
fn dedupe_ids(plan: &mut Plan) {
    for folder in &plan.folders {
        let mut seen = std::collections::HashMap::new();
        for &p in &folder.pages {
            let count = seen.entry(plan.pages[p].id.clone()).or_insert(0usize);
            *count += 1;
            if *count > 1 {
                let page = &mut plan.pages[p];
                page.id = format!("{}-{count}", page.id);
                page.file = format!("{:02}-{}.md", page.position, page.id);
            }
        }
    }
}
