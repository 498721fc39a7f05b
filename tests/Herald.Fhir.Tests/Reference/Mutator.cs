using System.Text;
using System.Text.Json.Nodes;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// Structure-aware, seeded mutation of a FHIR JSON input: it walks the JSON tree and changes one to three places
/// the way faulty senders do (a value of the wrong JSON type, null inside an array, a required element deleted, a
/// malformed date, a lone UTF-16 surrogate escape, a huge string, deep nesting, an empty object or array, a single
/// value where an array belongs and the reverse, numbers out of range, a member given twice, a choice element given
/// as two types). The same seed gives the same cases.
/// </summary>
public sealed partial class Mutator(int seed)
{
    private const string Surrogate = "\u0001surrogate\u0001";
    private const string Deep = "\u0001deep\u0001";
    private const string Duplicate = "\u0001dup\u0001";

    // The types Herald reads of each choice element, for a second type given beside the first.
    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["value"] = ["valueCodeableConcept", "valueQuantity", "valueInteger", "valueString", "valueBoolean"],
        ["effective"] = ["effectiveDateTime", "effectivePeriod"],
        ["onset"] = ["onsetDateTime", "onsetPeriod"],
        ["performed"] = ["performedDateTime", "performedPeriod"],
        ["medication"] = ["medicationCodeableConcept", "medicationReference"],
    };

    // Elements a faulty sender gets wrong most often, and those FHIR requires: mutated more often than the rest.
    private static readonly HashSet<string> Favoured =
    [
        "coding", "dosageInstruction", "profile", "entry", "focus", "component", "statusReason", "reaction", "manifestation",
        "extension", "contained", "ingredient", "bodySite", "status", "code", "subject", "patient", "resourceType", "id",
        "medicationCodeableConcept", "medicationReference", "effectiveDateTime", "effectivePeriod", "onsetDateTime",
        "valueQuantity", "valueInteger", "valueString", "valueCodeableConcept", "valueBoolean", "fullUrl", "resource", "url",
        "reference", "system", "display", "text", "birthDate", "gender", "issued", "authoredOn", "start", "end", "value",
    ];

    private static readonly string[] BadDates =
    [
        "２０２０-01-01", "2020-13-01", "2020-02-30", "2021-02-29", "20200101", "2020/01/01", "2020-1-1", "0000-01-01", "2020-01-01T10:00",
        "2020-01-01T10:00:00", "2020-01-01T25:00:00Z", "2020-01-01T10:61:00Z", "2020-01-01T10:00:00+15:00", " 2020-01-01",
        "2020-01-01 ", "", "2020-01", "2020", "2020-01-01T10:00:00.123Z", "yesterday", "2020-01-01T10:00:00z", "2020-00-10",
        "１９９９", "2020-01-01T10:00Z",
    ];

    private readonly Random random = new(seed);

    /// <summary>A mutated copy of the input text and what was done to it.</summary>
    public (string Text, string Description) Mutate(string input)
    {
        var root = JsonNode.Parse(input)!;
        var done = new List<string>();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            var slots = Slots(root, "$").ToList();
            if (slots.Count == 0)
            {
                break;
            }

            var slot = Pick(slots);
            done.Add(Apply(slot));
        }

        var text = root.ToJsonString();
        return (Expand(text), string.Join("; ", done));
    }

    /// <summary>A place in the tree: an object member or an array item, with its path.</summary>
    private sealed record Slot(JsonNode Parent, string? Name, int Index, string Path)
    {
        public JsonNode? Value
        {
            get => Name is not null ? Parent.AsObject()[Name] : Parent.AsArray()[Index];
            set
            {
                if (Name is not null)
                {
                    Parent.AsObject()[Name] = value;
                }
                else
                {
                    Parent.AsArray()[Index] = value;
                }
            }
        }

        public string Key => Name ?? (Parent.Parent is JsonObject o ? o.FirstOrDefault(p => ReferenceEquals(p.Value, Parent)).Key ?? "" : "");
    }

    private static IEnumerable<Slot> Slots(JsonNode node, string path)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                var at = $"{path}.{name}";
                yield return new Slot(obj, name, -1, at);
                if (value is not null)
                {
                    foreach (var inner in Slots(value, at))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{path}[{i}]";
                yield return new Slot(array, null, i, at);
                if (array[i] is { } item)
                {
                    foreach (var inner in Slots(item, at))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private Slot Pick(List<Slot> slots)
    {
        // Half the time a favoured element (or an item of one), else any place.
        if (random.Next(2) == 0)
        {
            var favoured = slots.Where(s => Favoured.Contains(s.Key)).ToList();
            if (favoured.Count > 0)
            {
                return favoured[random.Next(favoured.Count)];
            }
        }

        return slots[random.Next(slots.Count)];
    }

    private string Apply(Slot slot)
    {
        var value = slot.Value;
        var kind = random.Next(100);
        switch (kind)
        {
            case < 18:
                slot.Value = Retype(value);
                return $"retype {slot.Path} to {Show(slot.Value)}";
            case < 30:
                return NullInArray(slot);
            case < 44 when slot.Name is not null:
                slot.Parent.AsObject().Remove(slot.Name);
                return $"delete {slot.Path}";
            case < 58:
                var date = BadDates[random.Next(BadDates.Length)];
                var target = value is JsonValue v && v.TryGetValue<string>(out var s) && LooksLikeDate(s) ? slot : DateSlotNear(slot) ?? slot;
                target.Value = date;
                return $"date {target.Path} = '{date}'";
            case < 66:
                var where = random.Next(3);
                slot.Value = where == 0 ? Surrogate : where == 1 ? "abc" + Surrogate + "def" : Surrogate + "x";
                return $"lone surrogate at {slot.Path}";
            case < 69:
                slot.Value = new string('x', 1_100_000 + random.Next(1000));
                return $"huge string at {slot.Path}";
            case < 74:
                var depth = 20 + random.Next(120);
                slot.Value = $"{Deep}{depth}{Deep}";
                return $"nesting {depth} deep at {slot.Path}";
            case < 80:
                slot.Value = random.Next(2) == 0 ? new JsonObject() : new JsonArray();
                return $"empty at {slot.Path}";
            case < 84:
                return ArrayShape(slot);
            case < 88 when slot.Name is not null && !PrefetchKey().IsMatch(slot.Path):
                return Twice(slot); // inside a resource: a prefetch key given twice is a fault of the request, not of FHIR
            default:
                slot.Value = Numbers[random.Next(Numbers.Length)]();
                return $"number {slot.Path} = {Show(slot.Value)}";
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\$(\.[A-Za-z]+)?(\.prefetch\.[^.\[]+)?$")]
    private static partial System.Text.RegularExpressions.Regex PrefetchKey();

    private static readonly Func<JsonNode>[] Numbers =
    [
        () => JsonNode.Parse("1e400")!, () => JsonNode.Parse("1.5")!, () => JsonNode.Parse("-0")!, () => JsonNode.Parse("99999999999")!,
        () => JsonNode.Parse("1.0")!, () => JsonNode.Parse("-1")!, () => JsonNode.Parse("0.000000000000000000000000000001")!,
        () => JsonNode.Parse("79228162514264337593543950336")!, () => JsonNode.Parse("3")!,
    ];

    private JsonNode? Retype(JsonNode? value) => (random.Next(6), value) switch
    {
        (0, _) => JsonValue.Create("text"),
        (1, _) => JsonValue.Create(42),
        (2, _) => JsonValue.Create(true),
        (3, JsonArray a) when a.Count > 0 => a[0]?.DeepClone(), // an array given as its first item
        (3, _) => new JsonObject { ["value"] = "x" },
        (4, JsonObject o) => new JsonArray(o.DeepClone()), // an object given as an array of it
        (4, _) => new JsonArray(JsonValue.Create("x")),
        _ => null,
    };

    private string NullInArray(Slot slot)
    {
        var array = slot.Value as JsonArray ?? slot.Parent as JsonArray;
        if (array is null)
        {
            slot.Value = new JsonArray(null, slot.Value?.DeepClone());
            return $"null in a new array at {slot.Path}";
        }

        var at = random.Next(array.Count + 1);
        array.Insert(at, null);
        return $"null inserted at [{at}] of the array at {(slot.Value is JsonArray ? slot.Path : slot.Path[..slot.Path.LastIndexOf('[')])}";
    }

    /// <summary>A member given twice with different values, or a choice element given as two of its types.</summary>
    private string Twice(Slot slot)
    {
        var obj = slot.Parent.AsObject();
        var choice = Choices.FirstOrDefault(c => c.Value.Contains(slot.Name!));
        if (choice.Key is not null)
        {
            var other = choice.Value.First(name => name != slot.Name);
            if (!obj.ContainsKey(other))
            {
                obj[other] = other.EndsWith("DateTime", StringComparison.Ordinal) ? "2020-01-01"
                    : other.EndsWith("Period", StringComparison.Ordinal) ? new JsonObject { ["start"] = "2020-01-01" }
                    : other.EndsWith("Integer", StringComparison.Ordinal) ? 1 : other.EndsWith("Boolean", StringComparison.Ordinal) ? true
                    : other.EndsWith("String", StringComparison.Ordinal) ? "positive"
                    : other.EndsWith("Quantity", StringComparison.Ordinal) ? new JsonObject { ["value"] = 1 }
                    : other.EndsWith("Reference", StringComparison.Ordinal) ? new JsonObject { ["reference"] = "Medication/x" }
                    : new JsonObject { ["text"] = "positive" };
                return $"{slot.Path} also given as {other}";
            }
        }

        obj[Duplicate + slot.Name] = slot.Value is JsonValue ? "entered-in-error" : slot.Value?.DeepClone();
        return $"{slot.Path} given twice";
    }

    private string ArrayShape(Slot slot)
    {
        switch (slot.Value)
        {
            case JsonArray a when a.Count > 0:
                slot.Value = a[0]?.DeepClone();
                return $"array to its first item at {slot.Path}";
            case JsonObject o:
                slot.Value = new JsonArray(o.DeepClone());
                return $"object to array at {slot.Path}";
            default:
                slot.Value = new JsonArray(slot.Value?.DeepClone());
                return $"value to array at {slot.Path}";
        }
    }

    private Slot? DateSlotNear(Slot slot)
    {
        var root = slot.Parent.Root;
        var dates = Slots(root, "$").Where(s => s.Value is JsonValue v && v.TryGetValue<string>(out var text) && LooksLikeDate(text)).ToList();
        return dates.Count == 0 ? null : dates[random.Next(dates.Count)];
    }

    private static bool LooksLikeDate(string text) => text.Length >= 4 && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[3]) && (text.Length == 4 || text[4] == '-');

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 40 ? text[..37] + "..." : text;
    }

    /// <summary>Writes what JsonNode cannot hold: lone surrogate escapes, and nesting deeper than its writer allows.</summary>
    private static string Expand(string text)
    {
        var escaped = System.Text.Json.JsonEncodedText.Encode(Surrogate).ToString();
        text = text.Replace(escaped, "\\ud800", StringComparison.Ordinal);
        text = text.Replace("\"" + System.Text.Json.JsonEncodedText.Encode(Duplicate), "\"", StringComparison.Ordinal);
        var marker = System.Text.Json.JsonEncodedText.Encode(Deep).ToString();
        var builder = new StringBuilder();
        var position = 0;
        while (true)
        {
            var start = text.IndexOf("\"" + marker, position, StringComparison.Ordinal);
            if (start < 0)
            {
                builder.Append(text, position, text.Length - position);
                return builder.ToString();
            }

            var end = text.IndexOf(marker + "\"", start + 1 + marker.Length, StringComparison.Ordinal);
            var depth = int.Parse(text.AsSpan(start + 1 + marker.Length, end - start - 1 - marker.Length), System.Globalization.CultureInfo.InvariantCulture);
            builder.Append(text, position, start - position);
            for (var i = 0; i < depth; i++)
            {
                builder.Append(i % 2 == 0 ? "[" : "{\"a\":");
            }

            builder.Append('1');
            for (var i = depth - 1; i >= 0; i--)
            {
                builder.Append(i % 2 == 0 ? "]" : "}");
            }

            position = end + marker.Length + 1;
        }
    }
}
