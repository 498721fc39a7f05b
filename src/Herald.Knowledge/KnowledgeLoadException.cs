using Herald.Core.Knowledge;

namespace Herald.Knowledge;

/// <summary>The knowledge base did not load; <see cref="Errors"/> lists every problem.</summary>
public sealed class KnowledgeLoadException(IReadOnlyList<KnowledgeError> errors)
    : Exception($"The knowledge base did not load ({errors.Count} error(s)):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<KnowledgeError> Errors { get; } = errors;
}
