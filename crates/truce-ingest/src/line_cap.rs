//! Keeps memory flat whatever a file's shape: a physical line longer than
//! [`MAX_LINE_BYTES`] is not passed on. It is replaced by a short marker line
//! that the readers quarantine ("the line is … bytes long, more than …"), and
//! the rest of the file is read as usual, with the same line numbers.
//!
//! Without the cap a single line of 200 MB (a broken export, an attack through
//! the server's upload) was held whole several times over by the CSV reader,
//! the raw row and the quarantine record: 2.5 GB for one 200 MB file.

use std::io::Read;

/// The longest physical line read: 1 MiB, far above any real row (a GED row
/// with its source article is a few kilobytes).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// What a cut line becomes; followed by the line's length in bytes.
pub(crate) const CUT_MARK: &str = "\u{1}truce-line-cut\u{1}";

/// The reason a cut line is quarantined with, when `field` is one.
pub(crate) fn cut_reason(field: &str) -> Option<String> {
    let length = field.strip_prefix(CUT_MARK)?;
    Some(format!(
        "the line is {length} bytes long, more than the {} a row may have: set aside unread",
        MAX_LINE_BYTES
    ))
}

/// A reader that passes lines of at most [`MAX_LINE_BYTES`] and replaces longer
/// ones with a marker line. It holds at most one line (plus a read chunk).
pub(crate) struct LineCap<R> {
    inner: R,
    /// Bytes ready to be handed out, from `out_at` on.
    out: Vec<u8>,
    out_at: usize,
    /// The current line, not yet complete.
    line: Vec<u8>,
    /// Bytes of the current line thrown away (it is being cut); 0 when not cutting.
    cut: u64,
    done: bool,
}

impl<R: Read> LineCap<R> {
    pub(crate) fn new(inner: R) -> LineCap<R> {
        LineCap {
            inner,
            out: Vec::new(),
            out_at: 0,
            line: Vec::new(),
            cut: 0,
            done: false,
        }
    }

    /// Takes in one chunk of the input: complete lines go out, the rest waits.
    fn take(&mut self, mut chunk: &[u8]) {
        while !chunk.is_empty() {
            let end = chunk.iter().position(|&b| b == b'\n');
            let piece = &chunk[..end.map_or(chunk.len(), |at| at + 1)];
            chunk = &chunk[piece.len()..];
            let newline = usize::from(end.is_some());
            if self.cut > 0 {
                self.cut += piece.len() as u64;
            } else if self.line.len() + piece.len() - newline > MAX_LINE_BYTES {
                // Longer than the cap (its newline aside): from now on counted, not kept.
                self.cut = (self.line.len() + piece.len()) as u64;
                self.line = Vec::new();
            } else {
                self.line.extend_from_slice(piece);
            }
            if end.is_some() {
                self.end_line(true);
            }
        }
    }

    /// The current line is complete (`newline`: it ended with one).
    fn end_line(&mut self, newline: bool) {
        if self.cut > 0 {
            let length = self.cut - u64::from(newline);
            self.out
                .extend_from_slice(format!("{CUT_MARK}{length}").as_bytes());
            if newline {
                self.out.push(b'\n');
            }
            self.cut = 0;
        } else {
            self.out.append(&mut self.line);
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut chunk = [0u8; 64 << 10];
        while self.out_at == self.out.len() && !self.done {
            self.out.clear();
            self.out_at = 0;
            let n = match self.inner.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.done = true;
                self.end_line(false);
            } else {
                self.take(&chunk[..n]);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        LineCap::new(std::io::Cursor::new(input.to_vec()))
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    #[test]
    fn short_lines_pass_and_a_long_one_becomes_a_marker_on_its_own_line() {
        let short = b"a,b\n1,2\n\n3,4";
        assert_eq!(through(short), short);
        let mut long = b"a,b\n".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        long.extend_from_slice(b"\n5,6\n");
        let out = through(&long);
        let text = String::from_utf8(out).expect("text");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "the same line numbers");
        assert_eq!(lines[0], "a,b");
        assert_eq!(lines[2], "5,6");
        assert_eq!(
            cut_reason(lines[1]).as_deref(),
            Some(
                "the line is 1048586 bytes long, more than the 1048576 a row may have: set aside unread"
            )
        );
        // A line of exactly the cap passes; a long last line without a newline is cut too.
        let mut exact = vec![b'y'; MAX_LINE_BYTES];
        exact.push(b'\n');
        assert_eq!(through(&exact), exact);
        let last = vec![b'z'; MAX_LINE_BYTES + 1];
        assert_eq!(
            String::from_utf8(through(&last)).expect("text"),
            format!("{CUT_MARK}{}", MAX_LINE_BYTES + 1)
        );
    }
}
