namespace Herald.Cli;

/// <summary>What the process returns. A "data needed" or "out of scope" decision is a valid answer: 0.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The knowledge base failed to load or validate, or something unexpected went wrong.</summary>
    public const int Failure = 1;

    /// <summary>Invalid input or usage: unreadable file, invalid patient, unknown edition or id, bad date.</summary>
    public const int InvalidInput = 2;

    /// <summary>herald audit replay: the answer derived again is not the one that was sent.</summary>
    public const int NotReproduced = 3;
}
