using Herald.Core.Knowledge;

namespace Herald.Knowledge;

/// <summary>The knowledge base, or every problem found in the knowledge files (each with its file and line).</summary>
public sealed record LoadResult(KnowledgeBase? Knowledge, IReadOnlyList<KnowledgeError> Errors)
{
    public bool Succeeded => Knowledge is not null && Errors.Count == 0;
}
