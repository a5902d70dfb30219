#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| owner_console_fuzz::contracts::keystore(data));
