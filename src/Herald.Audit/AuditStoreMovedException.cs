namespace Herald.Audit;

/// <summary>The audit database file is no longer the one the store opened: deleted, or replaced under the same name.</summary>
public sealed class AuditStoreMovedException : IOException
{
    public AuditStoreMovedException()
    {
    }

    public AuditStoreMovedException(string message)
        : base(message)
    {
    }

    public AuditStoreMovedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
