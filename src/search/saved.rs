//! The search index's inputs, kept between builds so that an incremental build makes the index
//! again from them without reading any page but the changed ones.
//!
//! In: each indexed page's postings and its record's size, in page order, then the vocabulary
//! their term ids point into and the site's terms with every posting ([`Writer`]). Out: the
//! same, read back ([`read`]). The format is this program's own: a file another one wrote is
//! not read (the whole build runs instead).
//!
//! Layout: a magic line; the number naming the build that wrote it (8 bytes); per page a `1`
//! byte, its sections, its record's length and its postings (term id, section, weight), as
//! LEB128 numbers and bytes; a `0` byte; per vocabulary shard its number of terms and each term
//! (length, UTF-8); then the number of stems and per stem its text, its words, and its postings
//! (the gap from the previous section, weight).

use std::io::{self, Write};

use super::IndexedPage;
use super::index::{PagePostings, Postings, Term};

const MAGIC: &[u8] = b"lectern search inputs 1\n";

/// Writes the pages' postings as they pass, then the vocabulary.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    /// Starts the file of the build named `id`.
    pub fn new(mut out: W, id: u64) -> io::Result<Writer<W>> {
        out.write_all(MAGIC)?;
        out.write_all(&id.to_le_bytes())?;
        Ok(Writer { out })
    }

    /// The next indexed page, in page order.
    pub fn page(&mut self, page: &IndexedPage) -> io::Result<()> {
        self.postings(page.record.len(), &page.postings)
    }

    /// The next indexed page, by its record's length and its postings.
    pub fn postings(&mut self, record_len: usize, postings: &PagePostings) -> io::Result<()> {
        let mut buf = vec![1];
        varint(&mut buf, u64::from(postings.sections));
        varint(&mut buf, record_len as u64);
        varint(&mut buf, postings.entries().len() as u64);
        for &(id, section, weight) in postings.entries() {
            varint(&mut buf, u64::from(id));
            varint(&mut buf, u64::from(section));
            buf.push(weight);
        }
        self.out.write_all(&buf)
    }

    /// Ends the pages and writes the vocabulary, by shard ([`super::IndexBuilder::terms`]), and
    /// the site's stems with every posting ([`super::IndexBuilder::finish_keeping`]).
    pub fn finish(mut self, vocabulary: &[Vec<Box<str>>], stems: &[Term]) -> io::Result<W> {
        let mut buf = vec![0];
        varint(&mut buf, vocabulary.len() as u64);
        for shard in vocabulary {
            varint(&mut buf, shard.len() as u64);
            for term in shard {
                text(&mut buf, term);
            }
        }
        varint(&mut buf, stems.len() as u64);
        for stem in stems {
            text(&mut buf, &stem.text);
            varint(&mut buf, stem.words.len() as u64);
            for word in &stem.words {
                text(&mut buf, word);
            }
            varint(&mut buf, stem.postings.len() as u64);
            let mut previous = 0;
            for (section, weight) in stem.postings.pairs() {
                varint(&mut buf, u64::from(section - previous));
                buf.push(weight);
                previous = section;
            }
            if buf.len() > 1 << 20 {
                self.out.write_all(&buf)?;
                buf.clear();
            }
        }
        self.out.write_all(&buf)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One indexed page as saved.
pub struct SavedPage {
    /// Its record's length in bytes (its place in the chunks: [`super::chunk_layout`]).
    pub record_len: usize,
    pub postings: PagePostings,
}

/// A saved index's inputs.
pub struct Saved {
    /// The build that wrote them ([`Writer::new`]).
    pub id: u64,
    /// The indexed pages, in page order.
    pub pages: Vec<SavedPage>,
    /// The vocabulary, by shard ([`super::IndexBuilder::with_terms`]).
    pub terms: Vec<Vec<Box<str>>>,
    /// The site's stems with every posting, in the browser's string order.
    pub stems: Vec<Term>,
}

/// Reads a file [`Writer`] wrote; `None` when it is not one, or damaged.
pub fn read(bytes: &[u8]) -> Option<Saved> {
    let mut r = Reader { bytes: bytes.strip_prefix(MAGIC)? };
    let id = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
    let mut pages = Vec::new();
    while r.byte()? == 1 {
        let sections = u32::try_from(r.varint()?).ok()?;
        let record_len = usize::try_from(r.varint()?).ok()?;
        let count = usize::try_from(r.varint()?).ok()?;
        let mut entries = Vec::with_capacity(count.min(r.bytes.len() / 3));
        for _ in 0..count {
            let id = u32::try_from(r.varint()?).ok()?;
            let section = u32::try_from(r.varint()?).ok()?;
            if section >= sections {
                return None;
            }
            entries.push((id, section, r.byte()?));
        }
        pages.push(SavedPage { record_len, postings: PagePostings::from_entries(sections, entries) });
    }
    let shards = usize::try_from(r.varint()?).ok()?;
    let mut terms = Vec::with_capacity(shards.min(super::vocab::SHARDS));
    for _ in 0..shards {
        let count = usize::try_from(r.varint()?).ok()?;
        let mut shard = Vec::with_capacity(count.min(r.bytes.len()));
        for _ in 0..count {
            shard.push(r.text()?.into_boxed_str());
        }
        terms.push(shard);
    }
    let count = usize::try_from(r.varint()?).ok()?;
    let mut stems = Vec::with_capacity(count.min(r.bytes.len()));
    for _ in 0..count {
        let text = r.text()?;
        let words = usize::try_from(r.varint()?).ok()?;
        let words = (0..words).map(|_| r.text()).collect::<Option<Vec<String>>>()?;
        let postings = usize::try_from(r.varint()?).ok()?;
        let mut list = Postings {
            sections: Vec::with_capacity(postings.min(r.bytes.len())),
            weights: Vec::with_capacity(postings.min(r.bytes.len())),
        };
        let mut section = 0u32;
        for n in 0..postings {
            let gap = u32::try_from(r.varint()?).ok()?;
            if n > 0 && gap == 0 {
                return None;
            }
            section = section.checked_add(gap)?;
            list.sections.push(section);
            list.weights.push(r.byte()?);
        }
        stems.push(Term { text, words, sections: list.len() as u32, postings: list });
    }
    r.bytes.is_empty().then_some(Saved { id, pages, terms, stems })
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    fn text(&mut self) -> Option<String> {
        let len = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.take(len)?).ok().map(str::to_string)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

/// A string: its length, then its UTF-8.
fn text(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// LEB128: seven bits a byte, low first.
fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

#[cfg(test)]
mod tests {
    use super::super::{IndexBuilder, PageInput};
    use super::*;

    /// Pages, vocabulary and stems read back as written.
    #[test]
    fn what_is_saved_reads_back_the_same() {
        let pages = [
            ("Deploy", "<p>Deploy the service with care.</p><h2 id=\"roll\">Roll back</h2><p>Roll back fast.</p>"),
            ("Ünïcode", "<p>Grüße, naïve café: 300 words.</p>"),
        ];
        let inputs: Vec<PageInput> = pages
            .iter()
            .map(|(title, html)| PageInput { title, url: format!("/{title}/"), crumbs: vec![], html })
            .collect();
        let mut builder = IndexBuilder::new("en");
        let indexed: Vec<IndexedPage> = inputs.iter().map(|p| builder.page(p)).collect();
        let mut writer = Writer::new(Vec::new(), 42).unwrap();
        for page in &indexed {
            writer.page(page).unwrap();
        }
        let entries: Vec<Vec<(u32, u32, u8)>> = indexed.iter().map(|p| p.postings().entries().to_vec()).collect();
        let vocabulary = builder.terms();
        for p in indexed {
            builder.add(p, &mut |_, _| Ok(())).unwrap();
        }
        let mut stems = Vec::new();
        builder.finish_keeping(&mut |_, _| Ok(()), &mut |t| stems = t.to_vec()).unwrap();
        assert!(stems.iter().any(|t| t.text == "deploy"));
        let bytes = writer.finish(&vocabulary, &stems).unwrap();
        let saved = read(&bytes).expect("readable");
        assert_eq!(saved.id, 42);
        assert_eq!(saved.terms, vocabulary);
        assert_eq!(saved.stems, stems);
        let read_entries: Vec<Vec<(u32, u32, u8)>> =
            saved.pages.iter().map(|p| p.postings.entries().to_vec()).collect();
        assert_eq!(read_entries, entries);
        assert!(read(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(IndexBuilder::with_terms("en", saved.terms).is_some(), "the same vocabulary");
    }

    #[test]
    fn chunks_end_where_the_builder_ends_them() {
        let layout = super::super::chunk_layout(&[(5000, 2), (4000, 1), (100, 3), (9000, 1), (10, 1)]);
        assert_eq!(layout, vec![(0..2, 3), (2..4, 4), (4..5, 1)]);
        assert_eq!(super::super::chunk_layout(&[]), vec![]);
    }
}
