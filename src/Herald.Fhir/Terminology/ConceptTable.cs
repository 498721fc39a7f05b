using Herald.Fhir.Lines;
using YamlDotNet.RepresentationModel;

namespace Herald.Fhir.Terminology;

/// <summary>One row of concepts.yaml: a code and what it means to Herald.</summary>
public sealed record ConceptRow(
    string Kind,
    string System,
    string Code,
    bool Prefix,
    string Display,
    string Means,
    string Confidence,
    string Source);

/// <summary>The code tables of Terminology/concepts.yaml (embedded), read once.</summary>
public sealed class ConceptTable
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private static readonly Lazy<ConceptTable> Embedded = new(() =>
    {
        using var stream = typeof(ConceptTable).Assembly.GetManifestResourceStream("Herald.Fhir.Terminology.concepts.yaml")
            ?? throw new InvalidOperationException("The embedded resource Herald.Fhir.Terminology.concepts.yaml is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    private readonly Dictionary<(string Kind, string System, string Code), ConceptRow> exact = [];
    private readonly List<ConceptRow> prefixes = [];

    private ConceptTable(
        IReadOnlyList<ConceptRow> rows,
        IReadOnlyDictionary<string, string> profiles,
        IReadOnlyDictionary<string, IReadOnlyList<string>> extensions,
        IReadOnlyDictionary<string, IReadOnlyList<string>> readFrom)
    {
        Rows = rows;
        Profiles = profiles;
        Extensions = extensions;
        ReadFrom = readFrom;
        foreach (var kind in rows.Select(r => r.Kind).Distinct())
        {
            if (!readFrom.ContainsKey(kind))
            {
                throw new InvalidOperationException($"concepts.yaml: kind '{kind}' has no entry under read-from.");
            }
        }
        foreach (var row in rows)
        {
            if (row.Prefix)
            {
                prefixes.Add(row);
            }
            else if (!exact.TryAdd((row.Kind, row.System, row.Code), row))
            {
                throw new InvalidOperationException($"concepts.yaml lists {row.Kind} {row.System}|{row.Code} twice.");
            }
        }
    }

    public static ConceptTable Default => Embedded.Value;

    public IReadOnlyList<ConceptRow> Rows { get; }

    /// <summary>Profile role (e.g. secondary-cancer-condition) → canonical URL.</summary>
    public IReadOnlyDictionary<string, string> Profiles { get; }

    /// <summary>Extension role (treatment-intent, termination-reason) → the URLs that carry it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extensions { get; }

    /// <summary>Kind → the elements the mapping reads its codes from (e.g. <c>Observation.code</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ReadFrom { get; }

    /// <summary>Every exact code the mapping reads from an element, in table order (prefix rows are categories, not codes).</summary>
    public IReadOnlyList<ConceptRow> CodesReadFrom(string element) =>
        Rows.Where(r => !r.Prefix && ReadFrom[r.Kind].Contains(element)).ToArray();

    public string Profile(string role) => Profiles[role];

    /// <summary>The row of this kind for one coding, exact codes first, then ICD-10-CM prefixes.</summary>
    public ConceptRow? Find(string kind, string? system, string? code)
    {
        if (system is null || string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var trimmed = code.Trim();
        var trimmedSystem = system.Trim();
        if (exact.TryGetValue((kind, trimmedSystem, trimmed), out var row))
        {
            return row;
        }

        // Loops rather than LINQ here and below: the mapping asks for every coding of every resource.
        foreach (var prefix in prefixes)
        {
            if (prefix.Kind == kind && prefix.System == trimmedSystem && trimmed.StartsWith(prefix.Code, StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return null;
    }

    /// <summary>The first coding of a concept that this table knows for the kind.</summary>
    public ConceptRow? Find(string kind, IEnumerable<CodedValue> codings)
    {
        foreach (var coding in codings)
        {
            if (Find(kind, coding.System, coding.Code) is { } row)
            {
                return row;
            }
        }

        return null;
    }

    internal static ConceptTable Parse(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var systems = Map(root, "systems").Children.ToDictionary(p => Scalar(p.Key), p => Scalar(p.Value), StringComparer.Ordinal);
        var rows = new List<ConceptRow>();
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode("codes")]).Children.Cast<YamlMappingNode>())
        {
            string Field(string name) => node.Children.TryGetValue(new YamlScalarNode(name), out var v)
                ? Scalar(v)
                : throw new InvalidOperationException($"concepts.yaml: a row lacks '{name}' (line {node.Start.Line}).");
            var systemName = Field("system");
            var system = systems.TryGetValue(systemName, out var uri)
                ? uri
                : throw new InvalidOperationException($"concepts.yaml: unknown system '{systemName}' (line {node.Start.Line}).");
            var prefix = node.Children.TryGetValue(new YamlScalarNode("match"), out var match) && Scalar(match) == "prefix";
            rows.Add(new ConceptRow(Field("kind"), system, Field("code"), prefix, Field("display"), Field("means"), Field("confidence"), Field("source")));
        }

        var profiles = Map(root, "profiles").Children.ToDictionary(p => Scalar(p.Key), p => Scalar(p.Value), StringComparer.Ordinal);
        var extensions = Map(root, "extensions").Children.ToDictionary(
            p => Scalar(p.Key),
            p => (IReadOnlyList<string>)((YamlSequenceNode)p.Value).Children.Select(Scalar).ToList(),
            StringComparer.Ordinal);
        var readFrom = Map(root, "read-from").Children.ToDictionary(
            p => Scalar(p.Key),
            p => (IReadOnlyList<string>)((YamlSequenceNode)p.Value).Children.Select(Scalar).ToList(),
            StringComparer.Ordinal);
        return new ConceptTable(rows, profiles, extensions, readFrom);
    }

    private static YamlMappingNode Map(YamlMappingNode root, string key) => (YamlMappingNode)root.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
