//! The command line's async runtime: each command form acts once and exits, so a
//! `current-thread` tokio runs its one piece of async work to the end. The console's loop has
//! its own runtime and never blocks on one.

pub fn block_on<T>(work: impl std::future::Future<Output = T>) -> color_eyre::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| color_eyre::eyre::eyre!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(work))
}

/// [`block_on`] for work that fails with a message or a domain error: the report says its
/// text as it is, once (not followed by the text of what caused it, which it already holds).
pub fn block_on_text<T, E>(
    work: impl std::future::Future<Output = Result<T, E>>,
) -> color_eyre::Result<T>
where
    E: std::fmt::Display + std::fmt::Debug + Send + Sync + 'static,
{
    block_on(work)?.map_err(color_eyre::eyre::Report::msg)
}
