using System.Collections.Frozen;
using System.Reflection;

namespace Herald.Server.Page;

/// <summary>
/// The patients shipped in <c>examples/</c>, compiled into the assembly so the page can open them on any machine.
/// The two seed cases (the 2021 panel's own cases) come first.
/// </summary>
public sealed class ExampleCatalog
{
    private const string Prefix = "Examples/";

    // What each example shows; an example without an entry here is listed under its id.
    private static readonly IReadOnlyList<ExampleInfo> Described =
    [
        new("seed-case-1", "Panel case 1 (2021): progression on T-DM1, persistent cough",
            "Neoadjuvant TCHP with pCR, liver recurrence 32 months later with a persistent cough, progression on T-DM1 (seed 001, Case 1).", true),
        new("seed-case-2", "Panel case 2 (2021): after THP and T-DM1, new lung metastases",
            "Neoadjuvant TCHP with pCR, lung and bone recurrence 36 months later, THP then T-DM1, new lung metastases (seed 001, Case 2).", true),
        new("first-line-de-novo-hr-positive", "First line, de novo, HR-positive",
            "A fictional patient: metastatic at diagnosis, oestrogen receptor positive, no treatment yet.", false),
        new("maintenance-taxane-running", "Maintenance question: taxane still running",
            "A fictional patient: first-line pertuzumab + trastuzumab + docetaxel ongoing; when to stop the taxane.", false),
        new("brain-metastases-fourth-line", "New brain metastases after three lines",
            "A fictional patient: symptomatic new brain lesions after pertuzumab-based, T-DM1 and tucatinib-based lines.", false),
    ];

    private readonly FrozenDictionary<string, byte[]> files;

    public ExampleCatalog() : this(typeof(ExampleCatalog).Assembly)
    {
    }

    internal ExampleCatalog(Assembly assembly)
    {
        files = EmbeddedFiles.Read(assembly, Prefix)
            .Where(file => file.Key.EndsWith(".json", StringComparison.Ordinal))
            .ToFrozenDictionary(file => file.Key[..^".json".Length], file => file.Value, StringComparer.Ordinal);
        var described = Described.Where(d => files.ContainsKey(d.Id)).ToList();
        var rest = files.Keys.Where(id => Described.All(d => d.Id != id)).Order(StringComparer.Ordinal)
            .Select(id => new ExampleInfo(id, id, "", false));
        Examples = [.. described, .. rest];
    }

    public IReadOnlyList<ExampleInfo> Examples { get; }

    public byte[]? Find(string id) => files.TryGetValue(id, out var json) ? json : null;
}

public sealed record ExampleInfo(string Id, string Title, string Description, bool Seed);
