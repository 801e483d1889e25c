//! Telling a file that is not UTF-8 from its first bytes, to name the
//! encoding it looks like instead of failing on a garbled header.

use crate::error::IngestError;

/// Checks the first bytes of a file: UTF-16 (by its byte-order mark, or by
/// NUL bytes in every other position, as ASCII text in UTF-16 has) is an
/// [`IngestError::Encoding`]; bytes that are not UTF-8 (beyond a character cut
/// at the end of `prefix`) are an [`IngestError::NotUtf8`] naming their line.
pub(crate) fn check(file: &str, prefix: &[u8]) -> Result<(), IngestError> {
    let encoding = |found: &str| {
        Err(IngestError::Encoding {
            file: file.to_string(),
            found: found.to_string(),
        })
    };
    if prefix.starts_with(b"\xFF\xFE") {
        return encoding("UTF-16 little-endian (it starts with the byte-order mark FF FE)");
    }
    if prefix.starts_with(b"\xFE\xFF") {
        return encoding("UTF-16 big-endian (it starts with the byte-order mark FE FF)");
    }
    let sample = &prefix[..prefix.len().min(4096)];
    let nul_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let nul_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let half = sample.len() / 2;
    if half > 0 && nul_odd * 4 >= half && nul_even * 4 < half {
        return encoding(
            "UTF-16 little-endian without a byte-order mark (every other byte is NUL)",
        );
    }
    if half > 0 && nul_even * 4 >= half && nul_odd * 4 < half {
        return encoding("UTF-16 big-endian without a byte-order mark (every other byte is NUL)");
    }
    if let Err(e) = std::str::from_utf8(prefix)
        && e.error_len().is_some()
    {
        let before = &prefix[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        return Err(IngestError::NotUtf8 {
            file: file.to_string(),
            line,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(bytes: &[u8]) -> String {
        match check("f.csv", bytes) {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn names_the_encoding() {
        let utf16le: Vec<u8> = "id,side_a\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16be: Vec<u8> = "id,side_a\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(message(&utf16le).contains("UTF-16 little-endian without"));
        assert!(message(&utf16be).contains("UTF-16 big-endian without"));
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(&utf16le);
        assert!(message(&bom).contains("byte-order mark FF FE"));
        assert!(
            message(b"id,\xc7\xe1\xd3\n").contains("single-byte encoding such as Windows-1256")
        );
        assert_eq!(message("id,حلب\n".as_bytes()), "ok");
        // A character cut at the end of the prefix is not an error.
        assert_eq!(message(&"id,ح".as_bytes()[..4]), "ok");
        assert_eq!(message(b""), "ok");
    }
}
