//! One step of a store's schema, for SQLite and PostgreSQL alike.

/// A migration: SQL, or SQL around a rewrite of stored rows that SQL alone cannot
/// do (compressing every report into its body, [`crate::body`]).
#[derive(Clone, Copy)]
pub(crate) enum Migration<Rewrite> {
    Sql(&'static str),
    Rewrite {
        before: &'static str,
        rewrite: Rewrite,
        after: &'static str,
    },
}

impl<Rewrite: Copy> Migration<Rewrite> {
    /// Applies the step to `target` (a transaction): `sql` runs SQL, `rewrite`
    /// runs the rewrite.
    pub(crate) fn apply<T: ?Sized, E>(
        &self,
        target: &mut T,
        sql: impl Fn(&mut T, &str) -> Result<(), E>,
        rewrite: impl FnOnce(Rewrite, &mut T) -> Result<(), E>,
    ) -> Result<(), E> {
        match *self {
            Migration::Sql(step) => sql(target, step),
            Migration::Rewrite {
                before,
                rewrite: step,
                after,
            } => {
                sql(target, before)?;
                rewrite(step, target)?;
                sql(target, after)
            }
        }
    }
}
