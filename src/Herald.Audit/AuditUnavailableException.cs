namespace Herald.Audit;

/// <summary>
/// Neither the audit store nor the spool took the record. The server must not give the answer out
/// unrecorded: it answers 503 instead (docs/audit.md, "When a write fails").
/// </summary>
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException()
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
