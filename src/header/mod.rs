//! The page's header, under its title: saving and sharing the scenario (a
//! link, a file, clearing what this browser keeps) and the number style
//! and currency every figure is written in.
//!
//! Uses the shared state, the data step (a file waiting for its columns is
//! dropped when a scenario is opened) and the platform.

pub mod display_settings;
pub mod share_bar;
