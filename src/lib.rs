//! `protest` writes protest letters for political prisoners to the
//! diplomatic missions of the state that holds them: a campaign's state,
//! named by its data ([`campaigns`] says which campaign).
//!
//! The modules read as the pipeline: [`catalog`] loads a campaign's letters,
//! prisoners and missions, and senders; [`compose`] turns them into one structured
//! [`compose::Letter`]; [`render`] writes that letter as text, email or PDF;
//! [`output`] puts the result on disk atomically. [`write`] is the
//! `protest write` command as a library, running [`batch`].

/// The version of every JSON document protest prints or writes (`--json`,
/// `manifest.jsonl`, `send-log.jsonl`), in its `schema` field: scripts can
/// refuse a shape they do not know. docs/json.md describes the shapes.
pub const SCHEMA: &str = "protest/1";

pub mod batch;
pub mod campaigns;
pub mod catalog;
pub mod cmd;
pub mod compose;
pub mod config;
pub mod date;
pub mod error;
pub mod notice;
pub mod origin;
pub mod output;
pub mod profile;
pub mod render;
pub mod send;
pub mod signals;
pub mod stdio;
pub mod table;
pub mod tally;
pub mod template;
pub mod text;
pub mod write;
