//! The speech stage reads HTML with lectern's one HTML reader ([`crate::html`]); this module
//! keeps the names the stage has always used for it.
//!
//! In: an HTML fragment. Out: tokens with byte ranges, attribute values, decoded text.

pub use crate::html::{Token, attr, decode_entities, has_class, is_void, tokens};
