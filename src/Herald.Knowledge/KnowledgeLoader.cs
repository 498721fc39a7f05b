using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;

namespace Herald.Knowledge;

/// <summary>
/// Reads the knowledge files (YAML), validates each against its JSON Schema and compiles them into a
/// <see cref="KnowledgeBase"/>, reporting every problem in every file with its file and line.
/// Files that break their schema stop the load before compilation, so that their mistakes do not show up
/// again as a cascade of unresolved references.
/// </summary>
public static class KnowledgeLoader
{
    /// <summary>How errors name the knowledge root, whatever directory it was read from.</summary>
    private const string RootName = "knowledge";

    private static readonly Lazy<KnowledgeBase> Embedded = new(
        () =>
        {
            var result = LoadEmbedded();
            return result.Succeeded ? result.Knowledge! : throw new KnowledgeLoadException(result.Errors);
        },
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads the knowledge files built into this assembly: from the snapshot beside the running program when it was made
    /// from exactly these files (<see cref="KnowledgeSnapshot"/>), otherwise from the YAML, validated.
    /// </summary>
    public static LoadResult LoadEmbedded()
    {
        if (KnowledgeSnapshot.TryRead(Path.Combine(AppContext.BaseDirectory, KnowledgeSnapshot.FileName)) is { } snapshot)
        {
            return Compile(snapshot);
        }

        return Load(EmbeddedFileTexts());
    }

    /// <summary>
    /// Loads the knowledge from a snapshot file; null when the file is absent, unreadable, or was made from other
    /// knowledge files than the ones built into this assembly.
    /// </summary>
    public static LoadResult? LoadSnapshot(string path) =>
        KnowledgeSnapshot.TryRead(path) is { } document ? Compile(document) : null;

    /// <summary>Loads the embedded YAML files, validated, ignoring any snapshot (what the tests and the snapshot itself use).</summary>
    public static LoadResult LoadEmbeddedYaml() => Load(EmbeddedFileTexts());

    /// <summary>The embedded files parsed and validated into a document, before compilation; null with errors.</summary>
    internal static (KnowledgeDocument? Document, IReadOnlyList<KnowledgeError> Errors) ReadEmbeddedDocument()
    {
        var (document, errors) = Read(EmbeddedFileTexts());
        if (document is null)
        {
            return (null, errors);
        }

        var compiled = KnowledgeCompiler.Compile(document);
        return compiled.Knowledge is null ? (null, compiled.Errors) : (document, []);
    }

    private static IEnumerable<KnowledgeFileText> EmbeddedFileTexts()
    {
        var assembly = typeof(KnowledgeLoader).Assembly;
        var prefix = RootName + "/";

        // Resource names keep the separator of the machine that built the assembly.
        return assembly.GetManifestResourceNames()
            .Select(name => (Resource: name, Path: name.Replace('\\', '/')))
            .Where(r => r.Path.StartsWith(prefix, StringComparison.Ordinal) && IsYaml(r.Path))
            .Select(r => new KnowledgeFileText(r.Path[prefix.Length..], () => ReadResource(r.Resource)));
    }

    /// <summary>Loads the knowledge files under a directory laid out like knowledge/ in the repository.</summary>
    public static LoadResult LoadDirectory(string knowledgeDirectory)
    {
        if (!Directory.Exists(knowledgeDirectory))
        {
            return new LoadResult(null, [new KnowledgeError(null, $"the knowledge directory '{knowledgeDirectory}' does not exist")]);
        }

        var files = Directory.EnumerateFiles(knowledgeDirectory, "*", SearchOption.AllDirectories)
            .Where(IsYaml)
            .Select(path => new KnowledgeFileText(
                Path.GetRelativePath(knowledgeDirectory, path).Replace(Path.DirectorySeparatorChar, '/'),
                () => File.ReadAllText(path)));
        return Load(files);
    }

    /// <summary>The embedded knowledge base, loaded once per process; throws if it has errors.</summary>
    /// <exception cref="KnowledgeLoadException">The embedded knowledge files have errors.</exception>
    public static KnowledgeBase LoadEmbeddedOrThrow() => Embedded.Value;

    private sealed record KnowledgeFileText(string RelativePath, Func<string> Read);

    private static LoadResult Load(IEnumerable<KnowledgeFileText> files)
    {
        var (document, errors) = Read(files);
        return document is null ? new LoadResult(null, errors) : Compile(document);
    }

    private static LoadResult Compile(KnowledgeDocument document)
    {
        var compiled = KnowledgeCompiler.Compile(document);
        if (compiled.Knowledge is { } kb)
        {
            DefinitionLocations.Remember(kb, document);
        }

        return new LoadResult(compiled.Knowledge, compiled.Errors);
    }

    /// <summary>Parses and validates the files into one document; null with every error when any file is faulty.</summary>
    private static (KnowledgeDocument? Document, IReadOnlyList<KnowledgeError> Errors) Read(IEnumerable<KnowledgeFileText> files)
    {
        var ordered = files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        var errors = new List<KnowledgeError>();
        var present = ordered.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var path in KnowledgeFileKind.Fixed.Where(k => k.Value.Required && !present.Contains(k.Key)).Select(k => k.Key))
        {
            errors.Add(new KnowledgeError(null, $"{RootName}/{path} is missing"));
        }

        var valid = new List<(KnowledgeFileKind Kind, YamlJsonTree Tree)>();
        foreach (var file in ordered)
        {
            var name = $"{RootName}/{file.RelativePath}";
            var kind = KnowledgeFileKind.ForPath(file.RelativePath);
            if (kind is null)
            {
                errors.Add(new KnowledgeError(new SourceLocation(name, 1),
                    $"not a knowledge file: expected one of {string.Join(", ", KnowledgeFileKind.Fixed.Keys)} or {KnowledgeFileKind.StatementsFolder}*.yaml"));
                continue;
            }

            var tree = Parse(file, name, errors);
            if (tree is null)
            {
                continue;
            }

            var schemaErrors = KnowledgeSchemas.Validate(kind.SchemaName, tree);
            errors.AddRange(schemaErrors);
            if (schemaErrors.Count == 0)
            {
                valid.Add((kind, tree));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var document = new KnowledgeDocument();
        foreach (var (kind, tree) in valid)
        {
            kind.AddTo(tree, document);
        }

        return (document, []);
    }

    private static YamlJsonTree? Parse(KnowledgeFileText file, string name, List<KnowledgeError> errors)
    {
        string text;
        try
        {
            text = file.Read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new KnowledgeError(new SourceLocation(name, 1), $"cannot be read: {e.Message}"));
            return null;
        }

        return YamlJsonTree.Parse(text, name, errors);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static string ReadResource(string name)
    {
        using var stream = typeof(KnowledgeLoader).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
