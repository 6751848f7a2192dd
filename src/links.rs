//! Source links credited in a post body: the original article (출처/Source/via) and the data source.

use crate::post::SourceLink;

/// Finds the credited links in an HTML body; relative URLs are resolved against `base`.
pub fn extract_source_links(html: &str, base: Option<&str>) -> Vec<SourceLink> {
    let _ = (html, base);
    Vec::new()
}
