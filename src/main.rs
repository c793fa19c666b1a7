//! Uplift ROI in the browser: mounts the app into the page.

mod offline;

use uplift_roi_app::app::App;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    offline::register_service_worker();
}
