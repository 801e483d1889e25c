//! HXL hashtags (`#affected +killed`), and whether a row is a row of them
//! (HXL 1.1's rule). Used to detect an HXL file, to read a CSV header that has a
//! hashtag row under it, and by the HXL reader. A leaf: it knows no reader.

/// An HXL hashtag: its name and its attributes (lower case, sorted, without duplicates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) attributes: Vec<String>,
}

fn is_tag_word(word: &str) -> bool {
    let mut bytes = word.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Tag {
    /// Parses a hashtag spec such as `#affected +killed+Min`; `None` when it is not one.
    pub(crate) fn parse(text: &str) -> Option<Tag> {
        let text = text.trim().strip_prefix('#')?;
        let mut parts = text.split('+');
        let name = parts.next()?.trim();
        if !is_tag_word(name) {
            return None;
        }
        let mut attributes = Vec::new();
        for attribute in parts {
            let attribute = attribute.trim();
            if !is_tag_word(attribute) {
                return None;
            }
            attributes.push(attribute.to_ascii_lowercase());
        }
        attributes.sort();
        attributes.dedup();
        Some(Tag {
            name: name.to_ascii_lowercase(),
            attributes,
        })
    }

    /// True when this is `#name` with exactly the attributes `attributes` (any order).
    pub(crate) fn is(&self, name: &str, attributes: &[&str]) -> bool {
        self.name == name
            && self.attributes.len() == attributes.len()
            && attributes
                .iter()
                .all(|a| self.attributes.iter().any(|t| t == a))
    }
}

/// The hashtags of a row when it is an HXL hashtag row: at least one cell is
/// a hashtag and at least half of the non-empty cells are (HXL 1.1's rule,
/// as libhxl applies it). `None` otherwise; cheap when no cell starts with `#`.
pub(crate) fn hashtag_row(record: &csv::StringRecord) -> Option<Vec<Option<Tag>>> {
    if !record.iter().any(|c| c.trim_start().starts_with('#')) {
        return None;
    }
    let tags: Vec<Option<Tag>> = record.iter().map(Tag::parse).collect();
    let non_empty = record.iter().filter(|c| !c.trim().is_empty()).count();
    let valid = tags.iter().filter(|t| t.is_some()).count();
    (valid > 0 && valid * 2 >= non_empty).then_some(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_on_name_and_attribute_set() {
        let t = Tag::parse(" #Affected +Min+killed ").expect("a tag");
        assert!(t.is("affected", &["killed", "min"]));
        assert!(!t.is("affected", &["killed"]));
        assert!(Tag::parse("#date+year+start").is_some_and(|t| !t.is("date", &["start"])));
        assert_eq!(Tag::parse("date"), None);
        assert_eq!(Tag::parse("#1date"), None);
        assert_eq!(Tag::parse("#date+"), None);
        assert_eq!(Tag::parse("#"), None);
    }

    #[test]
    fn hashtag_rows() {
        let rec = |cells: &[&str]| csv::StringRecord::from(cells.to_vec());
        assert!(hashtag_row(&rec(&["", "#date+year", "", "#geo+lat"])).is_some());
        assert!(hashtag_row(&rec(&["id", "year", "side_a"])).is_none());
        assert!(hashtag_row(&rec(&["#hello", "a", "b", "c"])).is_none());
        assert!(hashtag_row(&rec(&["# not a tag", ""])).is_none());
    }
}
