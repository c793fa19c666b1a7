//! What the large-file reader shows under the text area: progress with a
//! Cancel button while a file is read, or the column-mapping step when its
//! headers were not recognised. The reading itself is
//! [`crate::data::file_reader`].

use leptos::prelude::*;
use uplift_engine::ingest::ColumnRole;

use crate::data::column_mapping::ColumnMappingForm;
use crate::data::file_progress::FileProgress;
use crate::data::file_reader::{read_pending, Reader};
use crate::platform::column_memory;

/// Progress of the file being read, or the column-mapping step for a file
/// whose headers were not recognised.
#[component]
pub fn LargeFileReader(reader: Reader) -> impl IntoView {
    let headers = Signal::derive(move || {
        reader
            .pending
            .with(|p| p.as_ref().map(|p| p.headers.clone()))
            .unwrap_or_default()
    });
    let file_name =
        Signal::derive(move || reader.pending.with(|p| p.as_ref().map(|p| p.name.clone())));
    let choose = Callback::new(move |(header, role): (String, ColumnRole)| {
        let hs = headers.get_untracked();
        reader.pending_mapping.update(|m| {
            m.insert(header, role);
            *m = column_memory::for_headers(m, &hs);
        });
    });
    let apply = Callback::new(move |()| read_pending(reader));
    view! {
        <FileProgress reader/>
        <ColumnMappingForm headers mapping=reader.pending_mapping.into() file_name on_choose=choose on_apply=apply/>
    }
}
