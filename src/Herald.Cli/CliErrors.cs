using Herald.Core.Knowledge;

namespace Herald.Cli;

/// <summary>Invalid input or usage (exit code 2). <see cref="Path"/> names what was wrong: an option or an input field.</summary>
internal sealed class UsageException(string path, string message) : Exception(message)
{
    public string Path { get; } = path;
}

/// <summary>The knowledge base did not load (exit code 1); <see cref="Errors"/> lists every problem.</summary>
internal sealed class KnowledgeFailureException(string message, IReadOnlyList<KnowledgeError> errors) : Exception(message)
{
    public IReadOnlyList<KnowledgeError> Errors { get; } = errors;
}
