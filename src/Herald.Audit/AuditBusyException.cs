namespace Herald.Audit;

/// <summary>
/// The audit queue is full: the record was not taken, so the answer must not be sent. The server answers 503 with
/// Retry-After; the queue is bounded so that a slow database slows callers down instead of filling memory.
/// </summary>
public sealed class AuditBusyException : Exception
{
    public AuditBusyException()
    {
    }

    public AuditBusyException(string message)
        : base(message)
    {
    }

    public AuditBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
