//! Incremental builds: when only some pages' files changed since the last build into the same
//! folder (their text; not their title, front matter or place), read, check and render those
//! pages and what depends on them, and change only their files in the output folder.
//!
//! In: the settings, the snapshot of the sources ([`Inputs`]) and the output folder. Out: the
//! folder changed in place ([`crate::output::Patch`]) and the records the next build reads, or
//! [`Attempt::Full`] when the whole site must be built (the settings, the theme, a static file,
//! a page's title, front matter or place changed, a page was added or removed, a file beside
//! the pages that no page includes changed, the site's diagrams began or ended, the output folder is not as the last build left it, or anything cannot be
//! told).
//!
//! What depends on a changed page: the pages whose links point at anchors it gained or lost
//! (checked again), the card lists and generated category pages that show its excerpt (made
//! again), the pages that include a changed partial (read again), the warning naming the
//! site's first diagram, its audio, the search index (made again from each page's saved postings: only the
//! changed pages are read), the sitemap (when pages' git dates changed: those pages are made
//! again too) and `llms-full.txt`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::{BuildError, card_list_warnings, page_title, read_page};
use crate::config::Config;
use crate::content::{self, Doc};
use crate::diagnostic::Diagnostic;
use crate::files::OutputFile;
use crate::incremental::{State, StoredPage, StoredSearch, card_text, restore, store};
use crate::output::{BuildRecord, OutDir, Patch, Splice};
use crate::render::Theme;
use crate::search::{self, saved::Saved};
use crate::site::{PageBody, PageWarnings, Site};
use crate::speech::EngineUse;
use crate::unchanged::{Inputs, OutputEntries};

/// What [`prepare`] found.
pub enum Attempt {
    /// The changed pages are read and checked: [`Prepared::write`] puts them in.
    Ready(Box<Prepared>),
    /// The whole site must be built; why, when the last build left a record.
    Full(Option<String>),
}

/// An incremental build read and checked, not yet written.
pub struct Prepared {
    site: Site,
    state: State,
    theme: Theme,
    target: OutDir,
    entries: Option<OutputEntries>,
    record: BuildRecord,
    /// The search index's record and saved inputs, when an indexed page changed.
    search: Option<(StoredSearch, Saved)>,
    /// Pages whose files changed.
    changed: BTreeSet<usize>,
    /// Pages made again: those, those whose git date changed and the card lists that show one.
    rerender: BTreeSet<usize>,
    /// Docs whose cards say something else now.
    cards_changed: Vec<usize>,
    /// Whether a page's git date changed (the sitemap shows them).
    dates_changed: bool,
    /// Per page, its links' problems and the pages whose anchors they point at, where checked again.
    checked: BTreeMap<usize, (Vec<Diagnostic>, Vec<usize>)>,
    /// What the audio depends on now.
    engine: EngineUse,
    /// The speech stage's summary of the pages made again.
    pub speech_summary: Option<String>,
    laps: Laps,
}

/// What [`Prepared::write`] did.
pub struct Written {
    /// Pages rendered again.
    pub rendered: usize,
    /// Pages in the site.
    pub pages: usize,
    /// Files written and removed in the output folder.
    pub files: usize,
    /// Whether the search index changed.
    pub search: bool,
}

/// Why a page's file cannot be built alone: what other pages or the output show of it changed.
fn moved(old: &Doc, new: &Doc) -> bool {
    (&old.source, &old.file, &old.display_path, &old.dirs, &old.stem, &old.base_id, &old.id, &old.slug)
        != (&new.source, &new.file, &new.display_path, &new.dirs, &new.stem, &new.base_id, &new.id, &new.slug)
        || (&old.url, &old.output_file, old.is_index, old.standalone, old.file_position)
            != (&new.url, &new.output_file, new.is_index, new.standalone, new.file_position)
        || old.front != new.front
}

/// Wall time of an incremental build's steps, in milliseconds, printed with `LECTERN_TIMINGS`.
struct Laps {
    at: std::time::Instant,
    done: Vec<(&'static str, f64)>,
}

impl Laps {
    fn start() -> Laps {
        Laps { at: std::time::Instant::now(), done: Vec::new() }
    }

    /// The step `what` ends now.
    fn lap(&mut self, what: &'static str) {
        self.done.push((what, self.at.elapsed().as_secs_f64() * 1000.0));
        self.at = std::time::Instant::now();
    }

    fn print(&self) {
        if std::env::var_os("LECTERN_TIMINGS").is_some() {
            let steps: Vec<String> = self.done.iter().map(|(what, ms)| format!("\"{what}\":{ms:.1}")).collect();
            eprintln!("incremental timings: {{{}}}", steps.join(","));
        }
    }
}

fn full(why: impl Into<String>) -> Result<Attempt, BuildError> {
    Ok(Attempt::Full(Some(why.into())))
}

/// Reads and checks what changed since the last build into `out`, if that build left a record
/// and only pages changed. Holds the folder's lock from here until it is written.
pub fn prepare(mut config: Config, inputs: &Inputs, out: &Path) -> Result<Attempt, BuildError> {
    let mut laps = Laps::start();
    let Ok(target) = crate::output::claim_out_dir(&config, out, false) else { return Ok(Attempt::Full(None)) };
    let Some(state) = State::load(&config, &target.path) else { return Ok(Attempt::Full(None)) };
    if state.parts.settings != inputs.parts.settings {
        return full("the settings, the theme, a static file or lectern itself changed");
    }
    let Some(previous) = crate::unchanged::previous(&config, &target.path) else {
        return full("the last build's record is missing");
    };
    let Some(entries) = OutputEntries::read(&target.path) else { return full("the output folder cannot be read") };
    if entries.digest() != previous.output {
        return full("the output folder changed since the last build");
    }
    if !crate::unchanged::outside_unchanged(&previous.outside) {
        return full("a partial outside the pages' folders changed");
    }
    if let EngineUse::Found(engine) = &previous.engine
        && crate::speech::engine_state(&config) != *engine
    {
        return full("the speech engine changed");
    }
    let changed = match state.changed_docs(&inputs.parts, &crate::unchanged::page_folders(&config)) {
        Ok(changed) => changed,
        Err(path) => return full(format!("{path} changed, was added or was removed")),
    };
    // Past half the site, the full build's bulk work is faster than page by page.
    if changed.len() > 64 && changed.len() * 2 > state.docs.len() {
        return full(format!("{} of {} pages changed", changed.len(), state.docs.len()));
    }
    let record = BuildRecord::load(&config, &target.path);
    laps.lap("records");
    // As `load_site`: the settings' warnings are the record's.
    config.warnings = Vec::new();
    let theme = super::load_theme(&config)?;
    let whole_page = config.speech.whole_page;
    let mut state = state;
    let mut site = state.site(config);

    laps.lap("site");
    // Pages whose dates changed show them.
    let mut rerender: BTreeSet<usize> = changed.iter().copied().collect();
    let mut dates_changed = false;
    if state.parts.git != inputs.parts.git {
        let dates = content::git_dates(&site.config, &site.content.docs);
        for (i, date) in dates.into_iter().enumerate() {
            if site.pages[i].git_date != date {
                site.pages[i].git_date = date;
                rerender.insert(i);
                dates_changed = true;
            }
        }
    }
    let changed: BTreeSet<usize> = changed.into_iter().collect();
    let old_titles: HashMap<usize, String> = changed.iter().map(|&i| (i, site.content.docs[i].title.clone())).collect();
    for &i in &rerender {
        if let Some(why) = reload(&mut site, i, changed.contains(&i))? {
            return full(why);
        }
    }
    let statics = content::walk_static(&site.config);
    let mut read = read_pages(&site, &statics, &rerender, whole_page);
    let errors: Vec<Diagnostic> =
        read.values().flat_map(|(r, _)| r.diagnostics.iter().filter(|d| d.is_error()).cloned()).collect();
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    for &i in read.keys() {
        let title = page_title(&site.content.docs[i]);
        if old_titles.get(&i).is_some_and(|old| *old != title) {
            let shown = crate::diagnostic::display_path(&site.content.docs[i].display_path);
            return full(format!("the title of {shown} changed"));
        }
        site.content.docs[i].title = title;
    }

    // Mermaid's files are in the output while a page has a diagram; when mermaid is missing,
    // one warning names the first diagram.
    let first_before = state.pages.iter().enumerate().find_map(|(i, p)| Some((i, p.diagram?)));
    let first_now = (0..site.content.docs.len()).find_map(|i| match read.get(&i) {
        Some((r, _)) => r.diagrams.first().map(|at| (i, (at.line, at.column))),
        None => state.pages[i].diagram.map(|at| (i, at)),
    });
    match (first_before, first_now) {
        (None, None) => {}
        (Some(_), None) | (None, Some(_)) => return full("the site's diagrams began or ended"),
        (Some(before), Some(now)) if before == now => {}
        (Some(_), Some((i, (line, column)))) => {
            if site.content.docs[i].text.is_empty()
                && let Some(why) = reload(&mut site, i, false)?
            {
                return full(why);
            }
            let at = crate::markdown::DiagramAt { line, column };
            let mut copies = BTreeMap::new();
            site.site_warnings.diagram = super::diagrams(&site.config, (&site.content.docs[i], at), &mut copies)?;
        }
    }

    laps.lap("markdown");
    // Card lists and generated pages show a changed page's excerpt.
    let cards_changed: Vec<usize> =
        changed.iter().copied().filter(|&i| card_text(&site.content.docs[i]) != state.pages[i].card_text).collect();
    if !cards_changed.is_empty() {
        let showing: BTreeSet<usize> = (0..site.content.docs.len())
            .filter(|&p| !state.pages[p].card_lists.is_empty() && !rerender.contains(&p))
            .filter(|&p| {
                crate::cards::items_for_doc(&site.sidebars, p)
                    .is_some_and(|items| crate::cards::card_docs(items).iter().any(|d| cards_changed.contains(d)))
            })
            .collect();
        for &p in &showing {
            if let Some(why) = reload(&mut site, p, false)? {
                return full(why);
            }
        }
        read.extend(read_pages(&site, &statics, &showing, whole_page));
        rerender.extend(showing);
    }
    // The texts the cards to fill are made from.
    let mut card_docs: BTreeSet<usize> = BTreeSet::new();
    for &i in &rerender {
        if let Some(items) = crate::cards::items_for_doc(&site.sidebars, i)
            && !read[&i].0.card_lists.is_empty()
        {
            card_docs.extend(crate::cards::card_docs(items));
        }
    }
    if !cards_changed.is_empty() {
        let generated = crate::pages::generated_pages_cards(&site);
        if generated.iter().any(|d| cards_changed.contains(d)) {
            card_docs.extend(generated_card_docs(&site, &cards_changed));
        }
    }
    for d in card_docs {
        if site.content.docs[d].text.is_empty()
            && let Some(why) = reload(&mut site, d, false)?
        {
            return full(why);
        }
    }

    if crate::fingerprint::site_fingerprint(&site, &theme) != state.site_fingerprint {
        return full("what every page shows of the site changed");
    }

    // The pages read again take their place in the site.
    let mut blocks: Vec<Vec<crate::speech::Block>> = (0..site.content.docs.len()).map(|_| Vec::new()).collect();
    for (i, (r, (mut body, page_blocks))) in read {
        let mut page_blocks = page_blocks;
        if !r.card_lists.is_empty()
            && let Some(filled) = super::fill_card_lists(&site.content, &site.sidebars, i, &mut body, true, whole_page)
        {
            page_blocks = Some(filled);
        }
        blocks[i] = page_blocks.unwrap_or_default();
        let doc = &site.content.docs[i];
        let card_lists = if r.card_lists.is_empty() {
            Vec::new()
        } else {
            card_list_warnings(doc, &r, &site.sidebars.placements[i])
        };
        site.page_warnings[i] = PageWarnings::of(doc, &r, card_lists);
        site.pages[i].markdown = r;
        site.pages[i].body = body;
    }

    // Their speech.
    let titles: Vec<&str> = site.content.docs.iter().map(|d| d.title.as_str()).collect();
    let speech = crate::speech::run_on_blocks(&site.config, &titles, blocks)?;
    let engine = match (&speech.engine, previous.engine) {
        (EngineUse::NotAsked, before) => before,
        (now, _) => now.clone(),
    };
    for &i in &rerender {
        site.speech.players[i] = speech.players[i].clone();
        site.speech.page_files[i] = speech.page_files[i].clone();
    }
    site.speech.files = speech.files;
    for w in speech.warnings {
        if !site.speech.warnings.contains(&w) {
            site.speech.warnings.push(w);
        }
    }
    site.warnings = crate::site::assemble_warnings(&site.site_warnings, &site.page_warnings, &site.speech.warnings);

    laps.lap("speech");
    // Links: of the pages read again, and of those pointing at anchors a changed page gained or lost.
    let mut check: BTreeSet<usize> = rerender.clone();
    for &i in &changed {
        let mut ids: Vec<String> = page_ids(&site.pages[i].body);
        ids.sort();
        if ids != state.pages[i].ids {
            check
                .extend((0..site.content.docs.len()).filter(|&p| state.pages[p].anchor_targets.contains(&i) && p != i));
        }
    }
    let recheck: Vec<usize> = check.iter().copied().filter(|p| !rerender.contains(p)).collect();
    for &p in &recheck {
        if let Some(why) = reload(&mut site, p, false)? {
            return full(why);
        }
    }
    let index = crate::links::Index::new(&site.config, &site.content, &statics);
    let facts: Vec<(usize, crate::markdown::Rendered)> =
        recheck.iter().map(|&p| (p, crate::pages::page_markdown(&index, &site.content.docs[p], false))).collect();
    drop(index);
    for (p, mut r) in facts {
        r.html.clear();
        site.pages[p].markdown = r;
    }
    let list: Vec<usize> = check.iter().copied().collect();
    let checks = crate::check::check_each(&site, &list, &|_| true);
    let checked = list.into_iter().zip(checks.problems.into_iter().zip(checks.anchor_targets)).collect();

    laps.lap("check");
    // The search index, when an indexed page's text changed.
    let indexed = search::indexed_docs(&site);
    let search_changed =
        indexed.iter().any(|&i| rerender.contains(&i) && site.pages[i].body.html_hash() != state.pages[i].html_hash);
    let search = match search_changed {
        false => None,
        true => {
            let stored = StoredSearch::load(&site.config, &target.path);
            let saved = std::fs::read(crate::incremental::terms_file(&site.config, &target.path))
                .ok()
                .and_then(|bytes| search::saved::read(&bytes));
            match (stored, saved) {
                (Some(stored), Some(saved)) if saved.id == stored.terms_id && saved.pages.len() == indexed.len() => {
                    Some((stored, saved))
                }
                _ => return full("the search index's record is missing"),
            }
        }
    };

    laps.lap("search inputs");
    let speech_summary = speech.summary;
    Ok(Attempt::Ready(Box::new(Prepared {
        site,
        state,
        theme,
        target,
        entries: Some(entries),
        record,
        search,
        changed,
        rerender,
        cards_changed,
        dates_changed,
        checked,
        engine,
        speech_summary,
        laps,
    })))
}

/// Reads doc `i`'s file again into `site`. `Some(why)` when it no longer fits the record (then
/// the whole site is built); an unchanged file (`changed` false) must read as it did.
fn reload(site: &mut Site, i: usize, changed: bool) -> Result<Option<String>, BuildError> {
    let old = &site.content.docs[i];
    let mut doc = content::load_doc(&site.config, &old.source, &old.file).map_err(|d| BuildError::Content(vec![d]))?;
    if moved(old, &doc) || (!changed && doc.body_start != old.body_start) {
        let shown = crate::diagnostic::display_path(&old.display_path);
        return Ok(Some(format!("the front matter of {shown} changed")));
    }
    // A changed page's title is worked out again from its markdown; another keeps its own.
    if !changed {
        doc.title = old.title.clone();
    }
    site.content.docs[i] = doc;
    Ok(None)
}

/// The markdown stage for the docs `which`, as `load_site` runs it for a build.
fn read_pages(
    site: &Site,
    statics: &[String],
    which: &BTreeSet<usize>,
    whole_page: bool,
) -> BTreeMap<usize, (crate::markdown::Rendered, super::Read)> {
    use rayon::prelude::*;
    let index = crate::links::Index::new(&site.config, &site.content, statics);
    let which: Vec<usize> = which.iter().copied().collect();
    which.par_iter().map(|&i| (i, read_page(&index, &site.content.docs[i], i, false, whole_page))).collect()
}

/// The docs whose cards the generated pages that show one of `docs` show.
fn generated_card_docs(site: &Site, docs: &[usize]) -> Vec<usize> {
    let lists = crate::pages::generated_card_lists(site);
    lists.into_iter().filter(|shown| shown.iter().any(|d| docs.contains(d))).flatten().collect()
}

fn page_ids(body: &PageBody) -> Vec<String> {
    match body {
        PageBody::Html(html) => crate::html::element_ids(html).into_iter().collect(),
        PageBody::Facts(facts) => facts.ids.iter().cloned().collect(),
    }
}

impl Prepared {
    /// The warnings of loading, as a full build prints them.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.site.warnings
    }

    /// Every link's problem, as a full build's check finds them.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let pages = (0..self.site.content.docs.len()).flat_map(|i| match self.checked.get(&i) {
            Some((problems, _)) => problems.clone(),
            None => restore(&self.state.pages[i].problems),
        });
        crate::check::combine(pages, restore(&self.state.check_rest))
    }

    /// The pages in the site.
    pub fn pages(&self) -> usize {
        self.site.content.docs.len()
    }

    /// Writes the changed files into the output folder and the records of the new build.
    /// `printed` is every warning the build printed. `Ok(None)` when the last build's output
    /// does not match its record after all (nothing was changed: build the whole site).
    pub fn write(mut self, inputs: &Inputs, printed: &str) -> Result<Option<Written>, BuildError> {
        let out = self.target.path.clone();
        let config = self.site.config.clone();
        let mut patch = Patch::begin(&out)?;
        let whole = self.state.site_fingerprint;
        let statics = content::walk_static(&config);
        let index = crate::links::Index::new(&config, &self.site.content, &statics);

        // The pages, and their code highlighted for the search index.
        let rerender: Vec<usize> = self.rerender.iter().copied().collect();
        let made: Vec<(usize, String, String)> = {
            use rayon::prelude::*;
            let (site, theme, index) = (&self.site, &self.theme, &index);
            rerender
                .par_iter()
                .map(|&i| {
                    let page_html = match &site.pages[i].body {
                        PageBody::Html(h) => h.clone(),
                        PageBody::Facts(_) => crate::pages::page_markdown(index, &site.content.docs[i], true).html,
                    };
                    let file = crate::pages::page_file(site, theme, i, &page_html)?;
                    Ok((i, page_html, file))
                })
                .collect::<anyhow::Result<_>>()?
        };
        let mut html: HashMap<usize, String> = HashMap::new();
        for (i, page_html, file) in made {
            let rel = self.site.content.docs[i].output_file.clone();
            let fingerprint = crate::fingerprint::page(&self.site, whole, i, self.site.pages[i].body.html_hash());
            self.record.pages.insert(rel.clone(), (fingerprint, file.len() as u64));
            patch.write(&rel, &OutputFile::Bytes(file.into_bytes()))?;
            html.insert(i, page_html);
        }

        self.laps.lap("render");
        // The search index.
        let indexed = search::indexed_docs(&self.site);
        let mut new_search = None;
        if let Some((stored, saved)) = self.search.take() {
            match self.search_files(&indexed, &html, stored, saved, &mut patch)? {
                Some(made) => new_search = Some(made),
                None => return Ok(None),
            }
        }

        self.laps.lap("search");
        // Images, audio, sitemap, llms-full.txt, generated pages.
        let docs_path = config.docs_path();
        let mut copies_before = BTreeSet::new();
        let mut audio_before = BTreeSet::new();
        for p in &self.state.pages {
            copies_before.extend(p.copies.iter().cloned());
            audio_before.extend(p.audio.iter().cloned());
        }
        let mut page_copies: HashMap<usize, Vec<String>> = HashMap::new();
        for &i in &self.rerender {
            page_copies.insert(i, index.page_copies(&self.site.content.docs[i], &self.site.pages[i].markdown));
        }
        drop(index);
        let mut copies_now = BTreeSet::new();
        let mut audio_now = BTreeSet::new();
        for (i, p) in self.state.pages.iter().enumerate() {
            copies_now.extend(page_copies.get(&i).unwrap_or(&p.copies).iter().cloned());
            let audio = if self.rerender.contains(&i) { &self.site.speech.page_files[i] } else { &p.audio };
            audio_now.extend(audio.iter().cloned());
        }
        for rel in copies_now.difference(&copies_before) {
            patch.write(rel, &OutputFile::Copy(docs_path.join(rel)))?;
        }
        for rel in audio_now.difference(&audio_before) {
            match self.site.speech.files.get(rel) {
                Some(file) => patch.write(rel, file)?,
                None => return Ok(None),
            }
        }
        for rel in copies_before.difference(&copies_now).chain(audio_before.difference(&audio_now)) {
            patch.remove(rel)?;
        }
        if self.dates_changed {
            patch.write("sitemap.xml", &OutputFile::Bytes(crate::pages::sitemap(&self.site).into_bytes()))?;
        }
        match self.llms(&out)? {
            Some(Some(parts)) => patch.write_spliced("llms-full.txt", &out.join("llms-full.txt"), &parts)?,
            Some(None) => {}
            None => return Ok(None),
        }
        if !self.cards_changed.is_empty() {
            for (rel, page) in crate::pages::generated_pages_listing(&self.site, &self.theme, &self.cards_changed)? {
                patch.write(&rel, &OutputFile::Bytes(page.into_bytes()))?;
            }
        }

        self.laps.lap("files");
        // In they go; the records follow.
        BuildRecord::forget(&config, &out);
        crate::unchanged::forget(&config, &out);
        State::forget(&config, &out);
        if new_search.is_some() {
            StoredSearch::forget(&config, &out);
        }
        let applied = patch.apply()?;
        self.laps.lap("apply");
        let files = applied.written.len() + applied.removed.len();
        let written = Written {
            rendered: self.rerender.len(),
            pages: self.site.content.docs.len(),
            files,
            search: new_search.is_some(),
        };
        let Some(mut entries) = self.entries.take() else { return Ok(Some(written)) };
        if entries.update(&out, &applied.written, &applied.made, &applied.removed).is_none() {
            return Ok(Some(written));
        }
        for folder in &applied.emptied {
            entries.remove_folder(folder);
        }
        if let Some((search_fingerprint, files, terms, stored)) = new_search.take() {
            self.record.search = Some((search_fingerprint, files));
            if terms.finish() {
                stored.save(&config, &out);
            }
        }
        self.record.save(&config, &out);
        crate::output::save_highlight_cache(&config, false);
        self.update_state(inputs, &page_copies);
        // The docs as they are now (their text is not saved).
        self.state.docs = std::mem::take(&mut self.site.content.docs);
        self.state.save(&config, &out);
        let pages = self.state.docs.len();
        let mut inputs = inputs.clone();
        let includes = self.state.pages.iter().flat_map(|p| &p.includes);
        inputs.outside = crate::unchanged::outside_includes(&config, includes);
        crate::unchanged::record_output(&config, &inputs, &out, entries.digest(), &self.engine, pages, printed);
        self.laps.lap("records");
        self.laps.print();
        Ok(Some(written))
    }

    /// The new search files into `patch`: the index made from the saved postings and the
    /// changed pages', its chunks of page records from the last build's files where their
    /// pages are unchanged. `None` when the last build's files do not fit its record.
    #[allow(clippy::type_complexity)]
    fn search_files(
        &self,
        indexed: &[usize],
        html: &HashMap<usize, String>,
        stored: StoredSearch,
        saved: Saved,
        patch: &mut Patch,
    ) -> anyhow::Result<Option<(u64, Vec<String>, crate::output::CacheFile, StoredSearch)>> {
        let site = &self.site;
        let out = &self.target.path;
        let builder = match search::IndexBuilder::with_terms(&site.config.lang, saved.terms) {
            Some(b) => b,
            None => return Ok(None),
        };
        let fresh: HashMap<usize, search::IndexedPage> = indexed
            .iter()
            .filter_map(|&i| Some((i, builder.page(&search::page_input(site, i, html.get(&i)?)))))
            .collect();
        let old_lens: Vec<(usize, u32)> = saved.pages.iter().map(|p| (p.record_len, p.postings.sections)).collect();
        let new_lens: Vec<(usize, u32)> = indexed
            .iter()
            .zip(&saved.pages)
            .map(|(i, p)| match fresh.get(i) {
                Some(f) => (f.record().len(), f.sections()),
                None => (p.record_len, p.postings.sections),
            })
            .collect();
        // The stems: those of the changed pages' words, old and new, change.
        let vocabulary = builder.terms();
        let changes: Vec<(usize, &search::index::PagePostings)> =
            indexed.iter().enumerate().filter_map(|(k, i)| Some((k, fresh.get(i)?.postings()))).collect();
        let mut stems = saved.stems;
        let stemmer = search::stem::SiteStemmer::new(&site.config.lang);
        search::merged::update(&mut stems, &saved.pages, &changes, &vocabulary, &stemmer);
        // Where each page's record is in the last build's chunks.
        let old_layout = search::chunk_layout(&old_lens);
        let mut old_place = vec![(0, 0); old_lens.len()];
        for (n, (range, _)) in old_layout.iter().enumerate() {
            let mut offset = 1;
            for k in range.clone() {
                old_place[k] = (n, offset);
                offset += old_lens[k].0 + 1;
            }
        }
        let stored_files: HashMap<&str, (u64, usize)> =
            stored.files.iter().map(|(p, h, l)| (p.as_str(), (*h, *l))).collect();
        let mut old_chunks: HashMap<usize, Vec<u8>> = HashMap::new();
        let mut chunks = Vec::new();
        let mut sizes = Vec::new();
        let mut files: Vec<(String, u64, usize)> = Vec::new();
        for (n, (range, sections)) in search::chunk_layout(&new_lens).into_iter().enumerate() {
            let path = search::chunk_path(n);
            let same_pages = old_layout.get(n).is_some_and(|(old, _)| *old == range);
            let untouched = same_pages && range.clone().all(|k| !fresh.contains_key(&indexed[k]));
            sizes.push(sections);
            if untouched && let Some(&(hash, len)) = stored_files.get(path.as_str()) {
                chunks.push((path.clone(), hash));
                files.push((path, hash, len));
                continue;
            }
            let mut records: Vec<String> = Vec::new();
            for k in range {
                if let Some(f) = fresh.get(&indexed[k]) {
                    records.push(f.record().to_string());
                    continue;
                }
                let (old_n, offset) = old_place[k];
                if let std::collections::hash_map::Entry::Vacant(e) = old_chunks.entry(old_n) {
                    let Ok(bytes) = std::fs::read(out.join(search::chunk_path(old_n))) else { return Ok(None) };
                    e.insert(bytes);
                }
                let bytes = &old_chunks[&old_n];
                let Some(record) = bytes.get(offset..offset + old_lens[k].0) else { return Ok(None) };
                let Ok(record) = std::str::from_utf8(record) else { return Ok(None) };
                records.push(record.to_string());
            }
            let json = search::chunk_json(records.iter().map(String::as_str));
            let hash = crate::render::fnv1a([json.as_bytes()]);
            if stored_files.get(path.as_str()) != Some(&(hash, json.len())) {
                patch.write(&path, &OutputFile::Bytes(json.clone().into_bytes()))?;
            }
            chunks.push((path.clone(), hash));
            files.push((path, hash, json.len()));
        }
        let sections: u32 = new_lens.iter().map(|(_, s)| s).sum();
        let written = search::write_index(&stems, sections, chunks, sizes, &mut |path, bytes| {
            let hash = crate::render::fnv1a([&bytes]);
            if stored_files.get(path.as_str()) != Some(&(hash, bytes.len())) {
                patch.write(&path, &OutputFile::Bytes(bytes.clone()))?;
            }
            files.push((path, hash, bytes.len()));
            Ok(())
        })?;
        let now: BTreeSet<&str> = written.iter().map(String::as_str).collect();
        for (path, _, _) in &stored.files {
            if !now.contains(path.as_str()) {
                patch.remove(path)?;
            }
        }
        // The inputs of the index as it is now, for the next build.
        let terms_id = crate::incremental::new_terms_id();
        let Some(file) = crate::output::CacheFile::create(&crate::incremental::terms_file(&site.config, out)) else {
            return Ok(None);
        };
        let mut writer = search::saved::Writer::new(file, terms_id)?;
        for (k, i) in indexed.iter().enumerate() {
            match fresh.get(i) {
                Some(f) => writer.page(f)?,
                None => writer.postings(saved.pages[k].record_len, &saved.pages[k].postings)?,
            }
        }
        let file = writer.finish(&vocabulary, &stems)?;
        let html_hashes: Vec<u64> = site.pages.iter().map(|p| p.body.html_hash()).collect();
        let fingerprint = crate::fingerprint::search(site, indexed, &html_hashes);
        let record = StoredSearch { fingerprint, files, terms_id };
        Ok(Some((fingerprint, written, file, record)))
    }

    /// `llms-full.txt` as parts: the changed pages' made again, the rest ranges of the last
    /// build's file. `Some(None)` when it does not change, `None` when the last build's file does
    /// not fit its record.
    fn llms(&self, out: &Path) -> anyhow::Result<Option<Option<Vec<Splice>>>> {
        let site = &self.site;
        if !site.config.llms_txt {
            return Ok(Some(None));
        }
        let order: Vec<usize> = crate::llms::sections(site).into_iter().flat_map(|(_, pages)| pages).collect();
        if !order.iter().any(|i| self.changed.contains(i)) {
            return Ok(Some(None));
        }
        let header = crate::llms::full_header(site).len() as u64;
        let total: u64 = header + order.iter().map(|&i| self.state.pages[i].llms_len as u64).sum::<u64>();
        if std::fs::symlink_metadata(out.join("llms-full.txt")).map_or(true, |m| !m.is_file() || m.len() != total) {
            return Ok(None);
        }
        let mut parts = Vec::new();
        let mut kept = (0, header);
        for &i in &order {
            let len = self.state.pages[i].llms_len as u64;
            if self.changed.contains(&i) {
                if kept.1 > kept.0 {
                    parts.push(Splice::Old { start: kept.0, len: kept.1 - kept.0 });
                }
                parts.push(Splice::New(crate::llms::full_page(site, i).into_bytes()));
                kept = (kept.1 + len, kept.1 + len);
            } else {
                kept.1 += len;
            }
        }
        if kept.1 > kept.0 {
            parts.push(Splice::Old { start: kept.0, len: kept.1 - kept.0 });
        }
        Ok(Some(Some(parts)))
    }

    /// The record for the next build: the new snapshot, and what was made again.
    fn update_state(&mut self, inputs: &Inputs, page_copies: &HashMap<usize, Vec<String>>) {
        let site = &self.site;
        let state = &mut self.state;
        state.parts = inputs.parts.clone();
        for (i, page) in site.pages.iter().enumerate() {
            state.pages[i].git_date = page.git_date;
        }
        for &i in &self.rerender {
            let doc = &site.content.docs[i];
            let old = &state.pages[i];
            let mut ids = page_ids(&site.pages[i].body);
            ids.sort();
            let llms_len = match old.llms_len {
                0 => 0,
                _ if self.changed.contains(&i) => crate::llms::full_page(site, i).len(),
                n => n,
            };
            let mut page = StoredPage {
                html_hash: site.pages[i].body.html_hash(),
                ids,
                anchor_targets: old.anchor_targets.clone(),
                card_lists: site.pages[i].markdown.card_lists.clone(),
                card_text: card_text(doc),
                git_date: site.pages[i].git_date,
                problems: old.problems.clone(),
                copies: page_copies.get(&i).cloned().unwrap_or_default(),
                audio: site.speech.page_files[i].clone(),
                llms_len,
                diagram: site.pages[i].markdown.diagrams.first().map(|d| (d.line, d.column)),
                includes: site.pages[i].markdown.includes.clone(),
                ..StoredPage::default()
            };
            page.set_warnings(&site.page_warnings[i]);
            state.pages[i] = page;
        }
        for (&p, (problems, targets)) in &self.checked {
            state.pages[p].problems = store(problems);
            state.pages[p].anchor_targets = targets.clone();
        }
        state.speech_warnings = store(&site.speech.warnings);
        state.diagram_warning = site.site_warnings.diagram.as_ref().map(crate::incremental::StoredDiagnostic::from);
    }
}
