using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Herald.Fhir.Model;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// The hand reader of the FHIR model (<see cref="FhirModelReader"/>) against System.Text.Json's generated serializer,
/// the reader it stands in for: wherever the hand reader reads an object, the serializer reads it too and to the same
/// model (compared as the serializer writes both back); where the serializer refuses an object, the hand reader gives
/// way, so the serializer names the fault and its path as before.
/// </summary>
public sealed class ModelReaderTests
{
    private const int Seed = 20261207;

    private static readonly Dictionary<string, Func<JsonElement, string?>> ByType = new(StringComparer.Ordinal)
    {
        ["Patient"] = e => Disagreement(e, FhirJsonContext.Default.Patient),
        ["Condition"] = e => Disagreement(e, FhirJsonContext.Default.Condition),
        ["Observation"] = e => Disagreement(e, FhirJsonContext.Default.Observation),
        ["DiagnosticReport"] = e => Disagreement(e, FhirJsonContext.Default.DiagnosticReport),
        ["MedicationRequest"] = e => Disagreement(e, FhirJsonContext.Default.MedicationRequest),
        ["MedicationAdministration"] = e => Disagreement(e, FhirJsonContext.Default.MedicationAdministration),
        ["MedicationStatement"] = e => Disagreement(e, FhirJsonContext.Default.MedicationStatement),
        ["Medication"] = e => Disagreement(e, FhirJsonContext.Default.Medication),
        ["Procedure"] = e => Disagreement(e, FhirJsonContext.Default.Procedure),
        ["AllergyIntolerance"] = e => Disagreement(e, FhirJsonContext.Default.AllergyIntolerance),
        ["Extension"] = e => Disagreement(e, FhirJsonContext.Default.Extension),
    };

    [Fact]
    public void EveryObjectOfEveryInputReadsAsTheSerializerReadsItAsEachModelType()
    {
        var failures = new List<string>();
        var handRead = 0;
        foreach (var file in FhirInputs.All())
        {
            using var document = JsonDocument.Parse(FhirInputs.Read(file));
            foreach (var (path, element) in Objects(document.RootElement, "$"))
            {
                foreach (var (type, compare) in ByType)
                {
                    if (compare(element) is { } disagreement)
                    {
                        failures.Add($"{file} {path} as {type}: {disagreement}");
                    }
                }

                handRead += FhirModelReader.TryRead(element, out Extension? _) ? 1 : 0;
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(handRead > 1000, $"only {handRead} objects were read by hand");
    }

    [Fact]
    public void EveryResourceOfTheUnchangedInputsIsReadByHand()
    {
        // The speed the hand reader exists for: well-formed input never falls back to the serializer.
        var fellBack = new List<string>();
        foreach (var file in FhirInputs.All())
        {
            using var document = JsonDocument.Parse(FhirInputs.Read(file));
            foreach (var (path, element) in Objects(document.RootElement, "$"))
            {
                if (ResourceType(element) is { } type && ByType.ContainsKey(type) && !ReadsByHand(type, element))
                {
                    fellBack.Add($"{file} {path} ({type})");
                }
            }
        }

        Assert.True(fellBack.Count == 0, "left to the serializer:\n" + string.Join("\n", fellBack.Take(20)));
    }

    [Fact]
    public void MutatedResourcesAndExtensionsReadAsTheSerializerReadsThem()
    {
        var inputs = FhirInputs.All().Select(FhirInputs.Read).ToList();
        var failures = new List<string>();
        int compared = 0, refused = 0;
        for (var i = 0; i < 800; i++)
        {
            var (text, description) = new Mutator(Seed + i).Mutate(inputs[i % inputs.Count]);
            using var document = TryParse(text);
            if (document is null)
            {
                continue; // nested deeper than a request may be: refused before any resource is read
            }

            foreach (var (path, element) in Objects(document.RootElement, "$"))
            {
                var type = path.EndsWith(']') && path.Contains(".extension[", StringComparison.Ordinal) ? "Extension" : ResourceType(element);
                if (type is null || !ByType.TryGetValue(type, out var compare))
                {
                    continue;
                }

                compared++;
                refused += ReadsByHand(type, element) ? 0 : 1;
                if (compare(element) is { } disagreement)
                {
                    failures.Add($"case {i} ({description}) {path} as {type}: {disagreement}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(refused > 100, $"only {refused} of {compared} mutated objects were left to the serializer: the mutations miss the hand reader");
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","g\u0065nder":"female"}""")] // a name written with an escape
    [InlineData("""{"resourceType":"Patient","gender":"female","gender":"male"}""")]
    [InlineData("""{"resourceType":"Patient","gender":"\ud800"}""")] // a lone surrogate
    [InlineData("""{"resourceType":"Patient","gender":1}""")]
    [InlineData("""{"resourceType":"Patient","meta":{"profile":"http://x"}}""")]
    [InlineData("""{"resourceType":"Patient","extension":[{"url":"a","x":{"y":1,"y":2}}]}""")] // twice, deep in a raw extension
    [InlineData("""{"resourceType":"Patient","contained":{"resourceType":"Medication"}}""")]
    [InlineData("""{"resourceType":"Observation","valueQuantity":{"value":1e400}}""")]
    [InlineData("""{"resourceType":"Observation","valueQuantity":{"value":"1"}}""")]
    [InlineData("""{"resourceType":"Observation","valueInteger":1.0}""")]
    [InlineData("""{"resourceType":"Observation","valueInteger":2147483648}""")]
    [InlineData("""{"resourceType":"Observation","valueBoolean":"true"}""")]
    [InlineData("""{"resourceType":"Observation","component":[{"code":[]}]}""")]
    [InlineData("""{"resourceType":"MedicationRequest","dosageInstruction":[{"timing":{"repeat":{"boundsPeriod":{"start":2020}}}}]}""")]
    public void InputTheSerializerRefusesIsLeftToTheSerializer(string json) => AssertReadsByHand(false, json);

    [Theory]
    [InlineData("""{"resourceType":"Observation","valueQuantity":{"value":1.50e2,"unit":"mg"},"valueInteger":-7,"valueBoolean":false}""")]
    [InlineData("""{"resourceType":"Observation","code":null,"focus":[null,{"reference":"Patient/1"}],"unknown":{"a":1,"a":2},"Status":"x"}""")]
    [InlineData("""{"resourceType":"Patient","meta":{"profile":["http://x",null]},"extension":[null,1,{"url":"u"}],"contained":[]}""")]
    [InlineData("""{"resourceType":"Condition","code":{"coding":[{"system":"s","code":"c","display":"caf\u00e9 \ud83d\ude00"}],"text":"t"}}""")]
    public void WellFormedEdgeCasesAreReadByHandAsTheSerializerReadsThem(string json) => AssertReadsByHand(true, json);

    // Whether the hand reader takes the input itself, and that it then reads what the serializer reads (no difference).
    private static void AssertReadsByHand(bool byHand, string json)
    {
        using var document = JsonDocument.Parse(json);
        var element = document.RootElement;
        var type = ResourceType(element)!;
        Assert.Equal(byHand, ReadsByHand(type, element));
        Assert.Null(ByType[type](element));
    }

    [Fact]
    public void RawExtensionsOutliveTheDocumentTheyWereReadFrom()
    {
        Patient? patient;
        using (var document = JsonDocument.Parse("""{"resourceType":"Patient","extension":[{"url":"u","valueString":"v"}]}"""))
        {
            patient = FhirModelReader.Read(document.RootElement, FhirJsonContext.Default.Patient);
        }

        Assert.Equal("u", patient!.Extension![0].GetProperty("url").GetString());
    }

    // Raw elements (extensions, contained resources) written as their text, so one holding a lone surrogate escape compares too.
    private static readonly FhirJsonContext Writer = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new RawText() },
    });

    private sealed class RawText : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ValueKind + " " + value.GetRawText());
    }

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Writer.GetTypeInfo(typeof(T))!);

    /// <summary>Null when both agree: the same model, or both refuse; otherwise what differs.</summary>
    private static string? Disagreement<T>(JsonElement element, JsonTypeInfo<T> info)
        where T : class
    {
        string? expected;
        try
        {
            expected = element.Deserialize(info) is { } read ? Write(read) : null;
        }
        catch (JsonException)
        {
            expected = null;
        }

        if (!FhirModelReader.TryRead(element, out T? hand))
        {
            return null; // left to the serializer, which reads it as it always did
        }

        var actual = Write(hand!);
        return actual == expected ? null : $"hand reader {actual}, serializer {expected ?? "refuses it"}";
    }

    private static bool ReadsByHand(string type, JsonElement element) => type switch
    {
        "Patient" => FhirModelReader.TryRead(element, out Patient? _),
        "Condition" => FhirModelReader.TryRead(element, out Condition? _),
        "Observation" => FhirModelReader.TryRead(element, out Observation? _),
        "DiagnosticReport" => FhirModelReader.TryRead(element, out DiagnosticReport? _),
        "MedicationRequest" => FhirModelReader.TryRead(element, out MedicationRequest? _),
        "MedicationAdministration" => FhirModelReader.TryRead(element, out MedicationAdministration? _),
        "MedicationStatement" => FhirModelReader.TryRead(element, out MedicationStatement? _),
        "Medication" => FhirModelReader.TryRead(element, out Medication? _),
        "Procedure" => FhirModelReader.TryRead(element, out Procedure? _),
        "AllergyIntolerance" => FhirModelReader.TryRead(element, out AllergyIntolerance? _),
        "Extension" => FhirModelReader.TryRead(element, out Extension? _),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static string? ResourceType(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String
            && FhirChecks.IsText(type)
            ? type.GetString()
            : null;

    private static JsonDocument? TryParse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Path, JsonElement Element)> Objects(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return (path, element);
            foreach (var member in element.EnumerateObject())
            {
                foreach (var inner in Objects(member.Value, $"{path}.{member.Name}"))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Objects(item, $"{path}[{i++}]"))
                {
                    yield return inner;
                }
            }
        }
    }
}
