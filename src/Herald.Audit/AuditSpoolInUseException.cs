namespace Herald.Audit;

/// <summary>
/// Another process holds the audit spool directory. Two servers draining one spool could delete lines the other had
/// just acknowledged, so a second one does not start on it: give every server process its own
/// <c>Herald:Audit:SpoolDirectory</c> (docs/deployment.md).
/// </summary>
public sealed class AuditSpoolInUseException : IOException
{
    public AuditSpoolInUseException()
    {
    }

    public AuditSpoolInUseException(string message)
        : base(message)
    {
    }

    public AuditSpoolInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="holder">What the holder wrote beside the lock: its process id, host and when it took the directory.</param>
    internal static AuditSpoolInUseException For(string directory, string? holder, Exception inner) =>
        new($"The audit spool directory {directory} is in use by another Herald process" +
            (string.IsNullOrWhiteSpace(holder) ? "" : $" (process {holder})") +
            ". Each server process needs a spool directory of its own: set Herald:Audit:SpoolDirectory " +
            "(Herald__Audit__SpoolDirectory in the environment) to a directory no other process uses.", inner);
}
