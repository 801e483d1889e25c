//! Signed notes (C2SP `signed-note`), their Ed25519 keys in the text forms of Go's
//! `golang.org/x/mod/sumdb/note`, and timestamped witness cosignatures (C2SP
//! `tlog-cosignature`, `cosignature/v1`).
//!
//! A note is a text ending in a newline, a blank line, and one signature line per
//! signer: `— <key name> <base64(4-byte key id || signature)>`. A cosignature is one
//! more such line whose signature is `8-byte big-endian time || Ed25519 signature` over
//! `cosignature/v1\ntime <time>\n` followed by the note text.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use thiserror::Error;

use crate::hash::sha256;

/// The largest note this crate reads, in bytes. The signed-note spec asks verifiers
/// to bound notes and to accept at least 16 signatures of up to about 5 kB each.
pub const MAX_NOTE_BYTES: usize = 256 * 1024;

/// The most signature lines this crate reads in one note (as Go's `note.Open`).
pub const MAX_NOTE_SIGNATURES: usize = 100;

/// The largest cosignature timestamp the spec allows: 2^63 − 1.
pub const MAX_COSIGNATURE_TIMESTAMP: u64 = i64::MAX as u64;

/// The first line of a `cosignature/v1` signed message, its domain separation.
pub const COSIGNATURE_V1_HEADER: &str = "cosignature/v1\n";

/// The separator at the start of every signature line: an em dash (U+2014) and a
/// space.
pub const SIGNATURE_LINE_PREFIX: &str = "\u{2014} ";

/// The signature algorithms this crate knows, by their signed-note type byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `0x01`: an Ed25519 signature over the note text (the log's checkpoint
    /// signature).
    Ed25519,
    /// `0x04`: a timestamped Ed25519 witness cosignature, `cosignature/v1`.
    CosignatureV1,
}

impl KeyType {
    /// The signed-note signature type byte.
    pub fn type_byte(self) -> u8 {
        match self {
            KeyType::Ed25519 => 0x01,
            KeyType::CosignatureV1 => 0x04,
        }
    }

    /// The key type of a signed-note type byte, if this crate knows it.
    pub fn from_type_byte(byte: u8) -> Option<KeyType> {
        match byte {
            0x01 => Some(KeyType::Ed25519),
            0x04 => Some(KeyType::CosignatureV1),
            _ => None,
        }
    }

    /// The length of the signature after the key id in a signature line.
    fn signature_length(self) -> usize {
        match self {
            KeyType::Ed25519 => 64,
            KeyType::CosignatureV1 => 8 + 64,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyType::Ed25519 => f.write_str("Ed25519 (type 0x01)"),
            KeyType::CosignatureV1 => f.write_str("Ed25519 cosignature/v1 (type 0x04)"),
        }
    }
}

/// Why a key text or key is refused. Messages never include private key material.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    /// A verifier key is not `<name>+<8 hex digits>+<base64>`.
    #[error("a verifier key has the form `<name>+<8 hex digits>+<base64 key>`; found `{text}`")]
    MalformedVerifierKey {
        /// The text (cut to 120 characters).
        text: String,
    },
    /// A signer key is not `PRIVATE+KEY+<name>+<8 hex digits>+<base64>`.
    #[error("a signer key has the form `PRIVATE+KEY+<name>+<8 hex digits>+<base64 seed>`")]
    MalformedSignerKey,
    /// A key name that is empty or holds a space or a `+`.
    #[error(
        "the key name `{name}` is not valid: a key name is not empty and has no spaces and no `+`"
    )]
    InvalidKeyName {
        /// The name.
        name: String,
    },
    /// The key id is not 8 hexadecimal digits.
    #[error("the key id `{text}` is not 8 hexadecimal digits")]
    InvalidKeyId {
        /// The key id as written.
        text: String,
    },
    /// The key material is not standard padded base64.
    #[error("the key material of `{name}` is not standard padded base64")]
    InvalidBase64 {
        /// The key name.
        name: String,
    },
    /// The key's type byte is not one this crate knows.
    #[error(
        "the key `{name}` has signature type 0x{type_byte:02x}; known types are 0x01 (Ed25519) and 0x04 (cosignature/v1)"
    )]
    UnknownKeyType {
        /// The key name.
        name: String,
        /// The type byte found.
        type_byte: u8,
    },
    /// The key material after the type byte is not 32 bytes.
    #[error(
        "the key `{name}` has {found} bytes of key material after its type; an Ed25519 key has 32"
    )]
    WrongKeyLength {
        /// The key name.
        name: String,
        /// How many bytes there were.
        found: usize,
    },
    /// The key id written in the key does not match its name and key material.
    #[error(
        "the key `{name}` says its id is {stated:08x} but its name and key give {computed:08x}"
    )]
    KeyIdMismatch {
        /// The key name.
        name: String,
        /// The id written in the key.
        stated: u32,
        /// The id computed from the name, type and public key.
        computed: u32,
    },
    /// The bytes are not an Ed25519 public key, or a weak (small-order) one that
    /// would accept forged signatures.
    #[error("the key `{name}` is not a usable Ed25519 public key")]
    InvalidPublicKey {
        /// The key name.
        name: String,
    },
}

/// The key id of a signed-note key: the first four bytes, big-endian, of
/// SHA-256(key name || 0x0A || type byte || 32-byte public key).
pub fn key_id(name: &str, key_type: KeyType, public_key: &[u8; 32]) -> u32 {
    let digest = sha256(&[name.as_bytes(), b"\n", &[key_type.type_byte()], public_key]);
    u32::from_be_bytes([digest.0[0], digest.0[1], digest.0[2], digest.0[3]])
}

/// Whether `name` can name a key: not empty, no Unicode space, no `+` (the separator of
/// the key text forms), no ASCII control character.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c < ' ')
}

/// A name [`is_valid_key_name`] accepts, or the error naming it.
fn check_key_name(name: &str) -> Result<(), KeyError> {
    if is_valid_key_name(name) {
        Ok(())
    } else {
        Err(KeyError::InvalidKeyName {
            name: cut(name, 120),
        })
    }
}

/// The three parts of a key text, `<name>+<id>+<base64(type || key)>` (a signer
/// key's after its `PRIVATE+KEY+` prefix), each checked.
struct KeyText<'t> {
    name: &'t str,
    /// The key id the text states, to be checked against the key's own.
    stated: u32,
    key_type: KeyType,
    /// The public key or the seed.
    material: [u8; 32],
}

impl<'t> KeyText<'t> {
    /// The parts of `text`; `malformed` is the error when it has fewer than three.
    fn parse(text: &'t str, malformed: impl FnOnce() -> KeyError) -> Result<Self, KeyError> {
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id), Some(material)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        check_key_name(name)?;
        let stated = parse_key_id(id)?;
        let (key_type, material) = split_key_material(name, material)?;
        Ok(KeyText {
            name,
            stated,
            key_type,
            material,
        })
    }

    /// Whether the key made from the parts has the id the text states.
    fn check_id(&self, computed: u32) -> Result<(), KeyError> {
        if computed != self.stated {
            return Err(KeyError::KeyIdMismatch {
                name: self.name.to_owned(),
                stated: self.stated,
                computed,
            });
        }
        Ok(())
    }
}

fn cut(text: &str, limit: usize) -> String {
    text.chars().take(limit).collect()
}

fn parse_key_id(text: &str) -> Result<u32, KeyError> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(KeyError::InvalidKeyId {
            text: cut(text, 20),
        });
    }
    u32::from_str_radix(text, 16).map_err(|_| KeyError::InvalidKeyId {
        text: cut(text, 20),
    })
}

/// Splits key material `type byte || 32 bytes` and checks the type.
fn split_key_material(name: &str, material: &str) -> Result<(KeyType, [u8; 32]), KeyError> {
    let bytes = BASE64
        .decode(material)
        .map_err(|_| KeyError::InvalidBase64 {
            name: name.to_owned(),
        })?;
    let (&type_byte, key) = bytes
        .split_first()
        .ok_or_else(|| KeyError::WrongKeyLength {
            name: name.to_owned(),
            found: 0,
        })?;
    let key_type = KeyType::from_type_byte(type_byte).ok_or_else(|| KeyError::UnknownKeyType {
        name: name.to_owned(),
        type_byte,
    })?;
    let key: [u8; 32] = key.try_into().map_err(|_| KeyError::WrongKeyLength {
        name: name.to_owned(),
        found: key.len(),
    })?;
    Ok((key_type, key))
}

/// A public key that verifies note signatures or cosignatures, with its name and id.
///
/// Its text form is the verifier key of Go's `sumdb/note`:
/// `<name>+<8 hex digit key id>+<base64(type byte || 32-byte public key)>`, e.g.
/// `PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW`.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_type: KeyType,
    key_id: u32,
    public_key: VerifyingKey,
}

impl VerifierKey {
    /// Reads a verifier key text, checking its name, its type, that its key id is the
    /// one its name and key give, and that the key is a sound Ed25519 point.
    pub fn parse(text: &str) -> Result<VerifierKey, KeyError> {
        let text = text.trim_end_matches(['\n', '\r']);
        let parts = KeyText::parse(text, || KeyError::MalformedVerifierKey {
            text: cut(text, 120),
        })?;
        let key = VerifierKey::from_public_key(parts.name, parts.key_type, &parts.material)?;
        parts.check_id(key.key_id)?;
        Ok(key)
    }

    /// A verifier key from a name, a type and a 32-byte Ed25519 public key.
    pub fn from_public_key(
        name: &str,
        key_type: KeyType,
        public_key: &[u8; 32],
    ) -> Result<VerifierKey, KeyError> {
        check_key_name(name)?;
        let invalid = || KeyError::InvalidPublicKey {
            name: name.to_owned(),
        };
        let verifying = VerifyingKey::from_bytes(public_key).map_err(|_| invalid())?;
        // A small-order key "verifies" signatures nobody made with it.
        if verifying.is_weak() {
            return Err(invalid());
        }
        Ok(VerifierKey {
            name: name.to_owned(),
            key_type,
            key_id: key_id(name, key_type, public_key),
            public_key: verifying,
        })
    }

    /// The key's name, as it appears in signature lines.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the key verifies: note signatures or cosignatures.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The key id, as it appears in the first four bytes of each signature.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.public_key.to_bytes()
    }

    /// The same name and public key for verifying `cosignature/v1` cosignatures (type
    /// 0x04, another key id), as a party's one key may serve both to sign and to
    /// witness.
    pub fn to_cosigner(&self) -> VerifierKey {
        self.with_type(KeyType::CosignatureV1)
    }

    /// The same name and public key for verifying plain note signatures (type 0x01).
    pub fn to_note_signer(&self) -> VerifierKey {
        self.with_type(KeyType::Ed25519)
    }

    fn with_type(&self, key_type: KeyType) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key_type,
            key_id: key_id(&self.name, key_type, &self.public_key.to_bytes()),
            public_key: self.public_key,
        }
    }

    /// Checks a signature line's signature bytes (after the key id) over the note text.
    /// For a cosignature, returns the timestamp it carries.
    fn verify(&self, text: &str, signature: &[u8]) -> Option<Option<u64>> {
        match self.key_type {
            KeyType::Ed25519 => {
                let signature = Signature::from_slice(signature).ok()?;
                self.public_key
                    .verify_strict(text.as_bytes(), &signature)
                    .ok()?;
                Some(None)
            }
            KeyType::CosignatureV1 => {
                let (time, signature) = signature.split_at_checked(8)?;
                let timestamp = u64::from_be_bytes(time.try_into().ok()?);
                if timestamp > MAX_COSIGNATURE_TIMESTAMP {
                    return None;
                }
                let signature = Signature::from_slice(signature).ok()?;
                let message = cosignature_v1_message(timestamp, text);
                self.public_key
                    .verify_strict(message.as_bytes(), &signature)
                    .ok()?;
                Some(Some(timestamp))
            }
        }
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut material = Vec::with_capacity(33);
        material.push(self.key_type.type_byte());
        material.extend_from_slice(&self.public_key.to_bytes());
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(material)
        )
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

/// A private key that signs notes or cosigns checkpoints.
///
/// Its text form is the signer key of Go's `sumdb/note`:
/// `PRIVATE+KEY+<name>+<8 hex digit key id>+<base64(type byte || 32-byte seed)>`. It
/// has no `Display` and its `Debug` hides the seed, so it cannot reach a log by
/// accident; [`SignerKey::to_private_text`] writes it on purpose.
#[derive(Clone)]
pub struct SignerKey {
    name: String,
    key_type: KeyType,
    key_id: u32,
    signing_key: SigningKey,
}

impl SignerKey {
    /// Reads a signer key text, checking that its key id is the one of the public key
    /// derived from its seed.
    pub fn parse(text: &str) -> Result<SignerKey, KeyError> {
        let text = text.trim_end_matches(['\n', '\r']);
        let rest = text
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(KeyError::MalformedSignerKey)?;
        let parts = KeyText::parse(rest, || KeyError::MalformedSignerKey)?;
        let key = SignerKey::from_seed(parts.name, parts.key_type, &parts.material)?;
        parts.check_id(key.key_id)?;
        Ok(key)
    }

    /// A signer key from a name, a type and a 32-byte Ed25519 seed (RFC 8032's private
    /// key). The caller brings the randomness: this crate reads no random source.
    pub fn from_seed(
        name: &str,
        key_type: KeyType,
        seed: &[u8; 32],
    ) -> Result<SignerKey, KeyError> {
        check_key_name(name)?;
        let signing_key = SigningKey::from_bytes(seed);
        let public_key = signing_key.verifying_key().to_bytes();
        Ok(SignerKey {
            name: name.to_owned(),
            key_type,
            key_id: key_id(name, key_type, &public_key),
            signing_key,
        })
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the key signs: notes or cosignatures.
    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// The key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The matching verifier key, to hand to those who check signatures.
    pub fn verifier_key(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key_type: self.key_type,
            key_id: self.key_id,
            public_key: self.signing_key.verifying_key(),
        }
    }

    /// The same name and seed as a `cosignature/v1` witness key (type 0x04).
    pub fn to_cosigner(&self) -> SignerKey {
        self.with_type(KeyType::CosignatureV1)
    }

    /// The same name and seed as a plain note signer (type 0x01).
    pub fn to_note_signer(&self) -> SignerKey {
        self.with_type(KeyType::Ed25519)
    }

    fn with_type(&self, key_type: KeyType) -> SignerKey {
        SignerKey {
            name: self.name.clone(),
            key_type,
            key_id: key_id(
                &self.name,
                key_type,
                &self.signing_key.verifying_key().to_bytes(),
            ),
            signing_key: self.signing_key.clone(),
        }
    }

    /// The private key text `PRIVATE+KEY+<name>+<id>+<base64(type || seed)>`. Whoever
    /// has it can sign as this key: write it only to a file only its owner can read.
    pub fn to_private_text(&self) -> String {
        let mut material = Vec::with_capacity(33);
        material.push(self.key_type.type_byte());
        material.extend_from_slice(self.signing_key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(material)
        )
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SignerKey({}+{:08x}, {}, private seed hidden)",
            self.name, self.key_id, self.key_type
        )
    }
}

/// The message a `cosignature/v1` signs: `cosignature/v1\ntime <timestamp>\n` and then
/// the whole checkpoint text, extension lines included.
pub fn cosignature_v1_message(timestamp: u64, text: &str) -> String {
    format!("{COSIGNATURE_V1_HEADER}time {timestamp}\n{text}")
}

/// Why a note cannot be read, signed or trusted. Line numbers count from 1 over the
/// whole note.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoteError {
    /// The note is larger than [`MAX_NOTE_BYTES`].
    #[error("the note is {size} bytes long; notes over {limit} bytes are refused")]
    TooLarge {
        /// The note's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The note is not UTF-8.
    #[error("the note is not valid UTF-8 (at byte {offset})")]
    NotUtf8 {
        /// The first invalid byte.
        offset: usize,
    },
    /// The note holds a control character other than newline.
    #[error(
        "line {line} of the note holds the control character U+{code:04X}; only newlines are allowed"
    )]
    ControlCharacter {
        /// The line it is on.
        line: usize,
        /// The character's code point.
        code: u32,
    },
    /// No blank line separates a text from signature lines.
    #[error(
        "the note has no signatures: a signed note is a text, a blank line, then signature lines"
    )]
    NoSignatureBlock,
    /// The note does not end with a newline.
    #[error("the note does not end with a newline")]
    MissingFinalNewline,
    /// A line in the signature block is not a signature line.
    #[error("line {line} of the note is not a signature line: {reason}")]
    MalformedSignatureLine {
        /// The line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// More signature lines than [`MAX_NOTE_SIGNATURES`].
    #[error("the note has more than {limit} signature lines")]
    TooManySignatures {
        /// The limit.
        limit: usize,
    },
    /// A text to sign that does not end with a newline, or that holds control
    /// characters.
    #[error("a note text must be UTF-8 ending in a newline with no control character but newline")]
    InvalidText,
    /// Two known keys with the same name and key id.
    #[error(
        "two known keys share the name `{name}` and the id {key_id:08x}; keys must be told apart"
    )]
    AmbiguousKey {
        /// The name.
        name: String,
        /// The id.
        key_id: u32,
    },
    /// A signature by a known key does not verify: the note was altered or forged.
    #[error(
        "the signature on line {line} by `{name}` (key {key_id:08x}) does not verify: the note was changed after it was signed, or the signature is forged"
    )]
    InvalidSignature {
        /// The signature line.
        line: usize,
        /// The key name.
        name: String,
        /// The key id.
        key_id: u32,
    },
    /// No signature is by a known key.
    #[error("the note has no signature by a known key (it is signed by: {signed_by})")]
    NoKnownSignature {
        /// The names and ids of the signatures found.
        signed_by: String,
    },
    /// A cosignature timestamp above 2^63 − 1.
    #[error("a cosignature time is at most {MAX_COSIGNATURE_TIMESTAMP}; found {timestamp}")]
    TimestampOutOfRange {
        /// The timestamp.
        timestamp: u64,
    },
}

/// One signature line of a note, not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name.
    pub key_name: String,
    /// The key id (the first four bytes of the decoded signature).
    pub key_id: u32,
    /// The signature bytes after the key id.
    pub signature: Vec<u8>,
    /// The line of the note it is on (from 1).
    pub line: usize,
}

impl NoteSignature {
    /// The signature line, with its final newline.
    pub fn to_line(&self) -> String {
        let mut bytes = Vec::with_capacity(4 + self.signature.len());
        bytes.extend_from_slice(&self.key_id.to_be_bytes());
        bytes.extend_from_slice(&self.signature);
        format!(
            "{SIGNATURE_LINE_PREFIX}{} {}\n",
            self.key_name,
            BASE64.encode(bytes)
        )
    }
}

/// A note read from bytes: its text and signature lines, in order. Reading checks the
/// format only; [`open_note`] checks signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The text, including its final newline but not the blank line after it.
    pub text: String,
    /// The signature lines, in the order they appear.
    pub signatures: Vec<NoteSignature>,
}

fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') || text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::InvalidText);
    }
    Ok(())
}

impl Note {
    /// Reads a note strictly: at most [`MAX_NOTE_BYTES`], UTF-8 without control
    /// characters other than newline, a text ending in a newline, a blank line, then
    /// only well-formed signature lines (valid key name, canonical standard base64 of
    /// a key id and at least one signature byte), each ending in a newline.
    pub fn parse(bytes: &[u8]) -> Result<Note, NoteError> {
        if bytes.len() > MAX_NOTE_BYTES {
            return Err(NoteError::TooLarge {
                size: bytes.len(),
                limit: MAX_NOTE_BYTES,
            });
        }
        let note = std::str::from_utf8(bytes).map_err(|error| NoteError::NotUtf8 {
            offset: error.valid_up_to(),
        })?;
        let mut line = 1;
        for c in note.chars() {
            if c == '\n' {
                line += 1;
            } else if c < ' ' {
                // The spec forbids the ASCII controls below U+0020 other than newline.
                return Err(NoteError::ControlCharacter {
                    line,
                    code: c as u32,
                });
            }
        }
        if !note.ends_with('\n') {
            return Err(NoteError::MissingFinalNewline);
        }
        // The text ends at the last blank line: a text may hold blank lines, the
        // signature block may not.
        let split = note.rfind("\n\n").ok_or(NoteError::NoSignatureBlock)?;
        let (text, block) = (&note[..split + 1], &note[split + 2..]);
        if block.is_empty() {
            return Err(NoteError::NoSignatureBlock);
        }
        let first_signature_line = text.matches('\n').count() + 2;
        let mut signatures = Vec::new();
        for (offset, signature_line) in block.split_terminator('\n').enumerate() {
            let line = first_signature_line + offset;
            if signatures.len() == MAX_NOTE_SIGNATURES {
                return Err(NoteError::TooManySignatures {
                    limit: MAX_NOTE_SIGNATURES,
                });
            }
            signatures.push(parse_signature_line(signature_line, line)?);
        }
        Ok(Note {
            text: text.to_owned(),
            signatures,
        })
    }

    /// A note of `text` signed by each of `signers`, in order. Cosigner keys sign the
    /// `cosignature/v1` message with `timestamp`; plain keys ignore it.
    pub fn sign(text: &str, signers: &[&SignerKey], timestamp: u64) -> Result<Note, NoteError> {
        check_text(text)?;
        let mut note = Note {
            text: text.to_owned(),
            signatures: Vec::new(),
        };
        for signer in signers {
            note.add_signature(signer, timestamp)?;
        }
        Ok(note)
    }

    /// Adds a signature line by `signer` after the existing ones; a cosigner key signs
    /// the `cosignature/v1` message with `timestamp` (POSIX seconds), a plain key signs
    /// the text and ignores it.
    pub fn add_signature(&mut self, signer: &SignerKey, timestamp: u64) -> Result<(), NoteError> {
        check_text(&self.text)?;
        let signature = match signer.key_type {
            KeyType::Ed25519 => signer
                .signing_key
                .sign(self.text.as_bytes())
                .to_bytes()
                .to_vec(),
            KeyType::CosignatureV1 => {
                if timestamp > MAX_COSIGNATURE_TIMESTAMP {
                    return Err(NoteError::TimestampOutOfRange { timestamp });
                }
                let message = cosignature_v1_message(timestamp, &self.text);
                let mut bytes = timestamp.to_be_bytes().to_vec();
                bytes.extend_from_slice(&signer.signing_key.sign(message.as_bytes()).to_bytes());
                bytes
            }
        };
        let line = self.text.matches('\n').count() + 2 + self.signatures.len();
        self.signatures.push(NoteSignature {
            key_name: signer.name.clone(),
            key_id: signer.key_id,
            signature,
            line,
        });
        Ok(())
    }

    /// Sets each signature's `line` to the line it is written on, after signatures
    /// were removed or reordered.
    pub fn renumber_signature_lines(&mut self) {
        let first = self.text.matches('\n').count() + 2;
        for (offset, signature) in self.signatures.iter_mut().enumerate() {
            signature.line = first + offset;
        }
    }

    /// The note as bytes: text, blank line, signature lines.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        f.write_str("\n")?;
        for signature in &self.signatures {
            f.write_str(&signature.to_line())?;
        }
        Ok(())
    }
}

fn parse_signature_line(text: &str, line: usize) -> Result<NoteSignature, NoteError> {
    let malformed = |reason: &str| NoteError::MalformedSignatureLine {
        line,
        reason: reason.to_owned(),
    };
    let rest = text
        .strip_prefix(SIGNATURE_LINE_PREFIX)
        .ok_or_else(|| malformed("it does not start with an em dash (U+2014) and a space"))?;
    let (name, encoded) = rest.split_once(' ').ok_or_else(|| {
        malformed("a key name and a base64 signature separated by one space are expected")
    })?;
    if !is_valid_key_name(name) {
        return Err(malformed("the key name is empty or holds a space or a `+`"));
    }
    let bytes = BASE64
        .decode(encoded)
        .map_err(|_| malformed("the signature is not canonical standard padded base64"))?;
    if bytes.len() < 5 {
        return Err(malformed(
            "the signature is shorter than a 4-byte key id and one signature byte",
        ));
    }
    let (id, signature) = bytes.split_at(4);
    Ok(NoteSignature {
        key_name: name.to_owned(),
        key_id: u32::from_be_bytes([id[0], id[1], id[2], id[3]]),
        signature: signature.to_vec(),
        line,
    })
}

/// A signature that verified with a known key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The key name.
    pub key_name: String,
    /// The key id.
    pub key_id: u32,
    /// Note signature or cosignature.
    pub key_type: KeyType,
    /// For a cosignature, the time (POSIX seconds) the witness says it signed.
    pub timestamp: Option<u64>,
    /// The line of the note it is on.
    pub line: usize,
}

/// A note whose signatures were checked: at least one known key signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedNote {
    /// The note as read.
    pub note: Note,
    /// The signatures by known keys, all verified, one per key.
    pub verified: Vec<VerifiedSignature>,
    /// The signatures by keys that are not known, kept unverified.
    pub unverified: Vec<NoteSignature>,
}

/// Reads a note and checks its signatures against the `known` keys, as the
/// signed-note spec says: a signature whose name and key id match no known key is kept
/// unverified (it may be a witness nobody asked about); a signature by a known key
/// that fails rejects the whole note; a note with no verified signature is rejected.
pub fn open_note(bytes: &[u8], known: &[VerifierKey]) -> Result<OpenedNote, NoteError> {
    for (position, key) in known.iter().enumerate() {
        if known[..position]
            .iter()
            .any(|other| other.name == key.name && other.key_id == key.key_id)
        {
            return Err(NoteError::AmbiguousKey {
                name: key.name.clone(),
                key_id: key.key_id,
            });
        }
    }
    let note = Note::parse(bytes)?;
    let mut verified: Vec<VerifiedSignature> = Vec::new();
    let mut unverified = Vec::new();
    for signature in &note.signatures {
        let key = known
            .iter()
            .find(|key| key.name == signature.key_name && key.key_id == signature.key_id);
        let Some(key) = key else {
            unverified.push(signature.clone());
            continue;
        };
        let invalid = || NoteError::InvalidSignature {
            line: signature.line,
            name: signature.key_name.clone(),
            key_id: signature.key_id,
        };
        if signature.signature.len() != key.key_type.signature_length() {
            return Err(invalid());
        }
        let timestamp = key
            .verify(&note.text, &signature.signature)
            .ok_or_else(invalid)?;
        // Every signature by a known key is checked, but a key counts once.
        if !verified
            .iter()
            .any(|seen| seen.key_name == key.name && seen.key_id == key.key_id)
        {
            verified.push(VerifiedSignature {
                key_name: key.name.clone(),
                key_id: key.key_id,
                key_type: key.key_type,
                timestamp,
                line: signature.line,
            });
        }
    }
    if verified.is_empty() {
        let signed_by = note
            .signatures
            .iter()
            .map(|signature| format!("`{}` {:08x}", signature.key_name, signature.key_id))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(NoteError::NoKnownSignature { signed_by });
    }
    Ok(OpenedNote {
        note,
        verified,
        unverified,
    })
}
