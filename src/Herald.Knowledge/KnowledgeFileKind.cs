using Herald.Core.Knowledge.Definitions;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Knowledge;

/// <summary>
/// A kind of knowledge file: where it lives, which schema it follows, and what it adds to the
/// <see cref="KnowledgeDocument"/>. Every item gets the file and line it was written on.
/// </summary>
internal sealed class KnowledgeFileKind
{
    public const string StatementsFolder = "statements/";

    // The files' camelCase keys onto the definitions' properties; the schema has already checked every type.
    private static readonly JsonSerializerOptions Definitions = new(JsonSerializerDefaults.Web);

    private readonly Action<YamlJsonTree, KnowledgeDocument> addTo;

    private KnowledgeFileKind(string schemaName, bool required, Action<YamlJsonTree, KnowledgeDocument> addTo)
    {
        SchemaName = schemaName;
        Required = required;
        this.addTo = addTo;
    }

    public string SchemaName { get; }

    /// <summary>Whether the knowledge base is incomplete without the file.</summary>
    public bool Required { get; }

    /// <summary>The files with fixed names, by path relative to the knowledge root.</summary>
    public static readonly IReadOnlyDictionary<string, KnowledgeFileKind> Fixed = new Dictionary<string, KnowledgeFileKind>(StringComparer.Ordinal)
    {
        ["sources.yaml"] = new("sources", true, (file, document) => document.Sources.AddRange(Items<SourceDefinition>(file, "sources"))),
        ["parameters.yaml"] = new("parameters", true, (file, document) => document.Parameters.AddRange(Items<ParameterDefinition>(file, "parameters"))),
        ["agents.yaml"] = new("agents", true, (file, document) =>
        {
            document.Agents.AddRange(Items<AgentDefinition>(file, "agents"));
            document.Groups.AddRange(Items<GroupDefinition>(file, "groups"));
        }),
        ["regimens.yaml"] = new("regimens", true, (file, document) => document.Regimens.AddRange(Items<RegimenDefinition>(file, "regimens"))),
        ["trials.yaml"] = new("trials", true, (file, document) => document.Trials.AddRange(Items<TrialDefinition>(file, "trials"))),
        ["editions.yaml"] = new("editions", true, (file, document) =>
        {
            document.Version = file.Root?["version"]?.GetValue<string>() ?? "";
            document.Editions.AddRange(Items<EditionDefinition>(file, "editions"));
        }),

        // Not yet required: the safety rules are being written; a missing file means no rules.
        ["safety-rules.yaml"] = new("safety-rules", true, (file, document) => document.SafetyRules.AddRange(Items<SafetyRuleDefinition>(file, "rules"))),
    };

    public static readonly KnowledgeFileKind Statements = new("statements", false, (file, document) =>
    {
        var statementFile = file.Root.Deserialize<StatementFile>(Definitions) ?? new StatementFile();
        statementFile.Location = file.LocationOf("");
        Locate(statementFile.Statements, file, "statements");
        document.StatementFiles.Add(statementFile);
    });

    /// <summary>The kind of the file at a path relative to the knowledge root ('/'-separated), or null for a stray file.</summary>
    public static KnowledgeFileKind? ForPath(string relativePath)
    {
        if (Fixed.TryGetValue(relativePath, out var kind))
        {
            return kind;
        }

        var isStatementFile = relativePath.StartsWith(StatementsFolder, StringComparison.Ordinal)
            && relativePath.EndsWith(".yaml", StringComparison.Ordinal)
            && relativePath.IndexOf('/', StatementsFolder.Length) < 0;
        return isStatementFile ? Statements : null;
    }

    public void AddTo(YamlJsonTree file, KnowledgeDocument document) => addTo(file, document);

    private static List<T> Items<T>(YamlJsonTree file, string key)
        where T : Located
    {
        var items = file.Root?[key]?.Deserialize<List<T>>(Definitions) ?? [];
        Locate(items, file, key);
        return items;
    }

    private static void Locate<T>(List<T> items, YamlJsonTree file, string key)
        where T : Located
    {
        for (var i = 0; i < items.Count; i++)
        {
            items[i].Location = file.LocationOf($"{key}[{i}]");
        }
    }
}
