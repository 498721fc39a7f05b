using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Herald.Fhir.Medications;

public enum ProductKind { Brand, ClinicalDrug }

/// <summary>One row of Terminology/medications.yaml: a product code and the agents it contains.</summary>
public sealed record MedicationProduct(
    string System,
    string Code,
    string Display,
    IReadOnlyList<string> Ingredients,
    ProductKind Kind,
    string Confidence,
    string Source);

/// <summary>
/// The brand and clinical-drug codes of Terminology/medications.yaml (embedded), read once. Ingredient
/// codes are not here: they belong to the agents of the knowledge base.
/// </summary>
public static class MedicationCodeTable
{
    public const string ResourceName = "Herald.Fhir.Terminology.medications.yaml";

    private static readonly Lazy<IReadOnlyList<MedicationProduct>> Embedded = new(LoadEmbedded);
    private static readonly Lazy<Dictionary<(string System, string Code), MedicationProduct>> ByCode = new(
        () => Embedded.Value.ToDictionary(p => (p.System, p.Code)));

    public static IReadOnlyList<MedicationProduct> Products => Embedded.Value;

    public static MedicationProduct? Find(string system, string code) =>
        ByCode.Value.GetValueOrDefault((system, code));

    /// <summary>Parses the table; throws <see cref="InvalidDataException"/> naming the row at fault.</summary>
    public static IReadOnlyList<MedicationProduct> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .Build();
        var file = deserializer.Deserialize<ProductFile?>(yaml) ?? new ProductFile();
        var products = new List<MedicationProduct>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < file.Products.Count; i++)
        {
            var row = file.Products[i];
            string Where() => $"medications.yaml products[{i}] (code {row.Code ?? "?"})";
            if (string.IsNullOrWhiteSpace(row.System) || string.IsNullOrWhiteSpace(row.Code))
            {
                throw new InvalidDataException($"{Where()}: system and code are required.");
            }

            if (row.Ingredients is not { Count: > 0 })
            {
                throw new InvalidDataException($"{Where()}: at least one ingredient is required.");
            }

            var kind = row.Kind switch
            {
                "brand" => ProductKind.Brand,
                "clinical-drug" => ProductKind.ClinicalDrug,
                _ => throw new InvalidDataException($"{Where()}: kind must be brand or clinical-drug, not '{row.Kind}'."),
            };
            if (row.Confidence is not ("high" or "medium"))
            {
                throw new InvalidDataException($"{Where()}: confidence must be high or medium; unverified codes are matched by text, not listed.");
            }

            if (string.IsNullOrWhiteSpace(row.Source) || string.IsNullOrWhiteSpace(row.Display))
            {
                throw new InvalidDataException($"{Where()}: display and source are required.");
            }

            if (!seen.Add((row.System, row.Code)))
            {
                throw new InvalidDataException($"{Where()}: the code is listed twice.");
            }

            products.Add(new MedicationProduct(row.System, row.Code, row.Display, row.Ingredients, kind, row.Confidence, row.Source));
        }

        return products;
    }

    private static IReadOnlyList<MedicationProduct> LoadEmbedded()
    {
        using var stream = typeof(MedicationCodeTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private sealed class ProductFile
    {
        public List<ProductRow> Products { get; set; } = [];
    }

    private sealed class ProductRow
    {
        public string? System { get; set; }

        public string? Code { get; set; }

        public string? Display { get; set; }

        public List<string>? Ingredients { get; set; }

        public string? Kind { get; set; }

        public string? Confidence { get; set; }

        public string? Source { get; set; }
    }
}
