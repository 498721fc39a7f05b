using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Cli.Commands;

/// <summary>The knowledge base a command works with: the built-in one, or the files under --knowledge.</summary>
internal static class KnowledgeSource
{
    public static KnowledgeBase Load(string? directory)
    {
        if (directory is null)
        {
            try
            {
                return KnowledgeLoader.LoadEmbeddedOrThrow();
            }
            catch (KnowledgeLoadException e)
            {
                throw new KnowledgeFailureException("The built-in knowledge base did not load.", e.Errors);
            }
        }

        RequireDirectory(directory);
        var result = KnowledgeLoader.LoadDirectory(directory);
        return result.Succeeded
            ? result.Knowledge!
            : throw new KnowledgeFailureException($"The knowledge base in '{directory}' did not load.", result.Errors);
    }

    public static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException("--knowledge", $"--knowledge: the directory '{directory}' does not exist.");
        }
    }

    /// <summary>The named edition, or the default; an unknown name is a usage error that lists the editions.</summary>
    public static Edition Edition(KnowledgeBase kb, string? id)
    {
        if (id is null)
        {
            return kb.DefaultEdition;
        }

        return kb.FindEdition(id) ?? throw new UsageException(
            "--edition",
            $"--edition: '{id}' is not an edition of knowledge base {kb.Version}. Editions: {DescribeEditions(kb)}.");
    }

    public static string DescribeEditions(KnowledgeBase kb) =>
        string.Join("; ", kb.Editions.Select(e => $"{e.Id}{(e.IsDefault ? " (the default)" : "")}: {e.Name}"));
}
