//! A reader that cannot be read past a mark its owner moves: how the archive's decompressed
//! stream is held to what the caps let in, even where the tar parser reads on its own (it
//! reads a long name or an extended header whole into memory before handing out the entry).

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// The owner's side: where the reader is, and how far it may go.
#[derive(Debug, Clone, Default)]
pub struct Meter {
    read: Rc<Cell<u64>>,
    limit: Rc<Cell<u64>>,
}

impl Meter {
    /// Lets the reader go `more` bytes past where it is now, and no further.
    pub fn allow_from_here(&self, more: u64) {
        self.limit.set(self.read.get().saturating_add(more));
    }

    /// Whether the last refusal was the mark's (the reader stands on it).
    pub fn exhausted(&self) -> bool {
        self.read.get() >= self.limit.get()
    }
}

pub struct Metered<R> {
    inner: R,
    meter: Meter,
}

impl<R: Read> Metered<R> {
    pub fn new(inner: R, meter: Meter) -> Self {
        Self { inner, meter }
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if buffer.is_empty() {
            return Ok(0);
        }
        let room = self.meter.limit.get().saturating_sub(self.meter.read.get());
        if room == 0 {
            return Err(io::Error::other("read past what the bundle's caps allow"));
        }
        let wanted = buffer
            .len()
            .min(usize::try_from(room).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buffer[..wanted])?;
        self.meter.read.set(self.meter.read.get() + read as u64);
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_mark_and_go_on_when_it_moves() {
        let meter = Meter::default();
        let mut reader = Metered::new(io::repeat(7).take(100), meter.clone());
        meter.allow_from_here(10);
        let mut buffer = [0u8; 64];
        assert_eq!(reader.read(&mut buffer).unwrap(), 10);
        assert!(meter.exhausted());
        assert!(reader.read(&mut buffer).is_err());
        meter.allow_from_here(50);
        let mut rest = Vec::new();
        assert!(reader.read_to_end(&mut rest).is_err());
        assert_eq!(rest.len(), 50);
        assert!(meter.exhausted());
    }
}
