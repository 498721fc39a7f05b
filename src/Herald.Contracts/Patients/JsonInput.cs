using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Core;

namespace Herald.Contracts.Patients;

// A small declarative reader over System.Text.Json's DOM: each accessor checks the JSON type, range
// or vocabulary, records an error with the JSON path instead of throwing, and returns null, so one
// pass over the document finds every problem. docs/patient-input.md lists the messages' shapes.

/// <summary>
/// Where a value sits: its path for messages, and its position (property and item indices from the
/// root) so that errors can be listed in document order whatever order the checks ran in.
/// </summary>
internal readonly record struct InputLocation(string Path, int[] Order)
{
    public static InputLocation Root { get; } = new("", []);

    /// <summary>How messages show the path; the document itself is <c>$</c>.</summary>
    public string Display => Path.Length == 0 ? "$" : Path;

    public InputLocation Property(string name, int index) => new(Join(name), [.. Order, index]);

    public InputLocation Item(int index) => new($"{Path}[{index}]", [.. Order, index]);

    /// <summary>An absent property: errors about it sort after everything else in its object.</summary>
    public InputLocation Absent(string name) => new(Join(name), [.. Order, int.MaxValue]);

    private string Join(string name) => Path.Length == 0 ? name : $"{Path}.{name}";
}

/// <summary>Collects errors; at most one per path (the first found), listed in document order.</summary>
internal sealed class InputErrorList
{
    private readonly List<(InputLocation At, InputError Error)> entries = [];
    private readonly HashSet<string> paths = new(StringComparer.Ordinal);

    public bool HasErrors => entries.Count > 0;

    public void Add(InputLocation at, string message)
    {
        if (paths.Add(at.Display))
        {
            entries.Add((at, new InputError(at.Display, message)));
        }
    }

    public IReadOnlyList<InputError> InDocumentOrder() =>
        entries.OrderBy(e => e.At.Order, DocumentOrder.Instance).Select(e => e.Error).ToArray();

    private sealed class DocumentOrder : IComparer<int[]>
    {
        public static readonly DocumentOrder Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            x ??= [];
            y ??= [];
            for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
            {
                var c = x[i].CompareTo(y[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return x.Length.CompareTo(y.Length);
        }
    }
}

/// <summary>One JSON value with its location; the accessors validate and convert it.</summary>
internal readonly partial struct JsonValue(JsonElement element, InputLocation at, InputErrorList errors)
{
    public InputLocation At => at;

    public void Error(string message) => errors.Add(at, message);

    public bool IsObject => element.ValueKind == JsonValueKind.Object;

    public string? String()
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString();
        }

        WrongType("a string");
        return null;
    }

    /// <summary>A string with something in it besides white space.</summary>
    public string? Text()
    {
        var text = String();
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            Error("must not be empty.");
            return null;
        }

        return text;
    }

    public int? Int(int min, int max)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            WrongType("a whole number");
            return null;
        }

        // A number too large for a double (1e400) is out of range too.
        var raw = element.GetRawText();
        var finite = element.TryGetDouble(out var number);
        if (finite && Math.Floor(number) != number)
        {
            Error($"{raw} is not a whole number.");
            return null;
        }

        if (!finite || number < min || number > max)
        {
            Error($"{raw} is outside the range {min}-{max}.");
            return null;
        }

        return (int)number;
    }

    /// <summary>A number greater than <paramref name="above"/> and at most <paramref name="max"/>.</summary>
    public double? Number(double above, double max)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            WrongType("a number");
            return null;
        }

        if (!element.TryGetDouble(out var number) || !(number > above && number <= max))
        {
            Error(string.Create(CultureInfo.InvariantCulture, $"{element.GetRawText()} is outside the range: it must be more than {above} and at most {max}."));
            return null;
        }

        return number;
    }

    public bool? Bool()
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        WrongType("true or false");
        return null;
    }

    public DateOnly? Date()
    {
        var text = String();
        if (text is null)
        {
            return null;
        }

        if (!DatePattern().IsMatch(text))
        {
            Error($"{Quote(text)} is not a date in the form YYYY-MM-DD.");
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Error($"{Quote(text)} is not a calendar date.");
            return null;
        }

        return date;
    }

    public T? Enum<T>(EnumVocabulary<T> vocabulary)
        where T : struct, System.Enum
    {
        var text = String();
        if (text is null)
        {
            return null;
        }

        if (vocabulary.TryParse(text, out var value))
        {
            return value;
        }

        var suggestion = NameSuggestions.Closest(text, vocabulary.Accepted);
        Error(suggestion is null
            ? $"{Quote(text)} is not one of {vocabulary.Describe()}."
            : $"{Quote(text)} is not one of {vocabulary.Describe()}; did you mean '{suggestion}'?");
        return null;
    }

    public JsonObjectReader? Object(ObjectShape shape)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return new JsonObjectReader(element, at, shape, errors);
        }

        WrongType("an object");
        return null;
    }

    public IReadOnlyList<JsonValue>? Array()
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            WrongType("an array");
            return null;
        }

        var items = new List<JsonValue>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            items.Add(new JsonValue(item, at.Item(index++), errors));
        }

        return items;
    }

    public static string Quote(string text) => text.Length <= 60 ? $"'{text}'" : $"'{text[..57]}...'";

    private void WrongType(string expected)
    {
        var actual = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"the string {Quote(element.GetString()!)}",
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null (leave the property out when the value is not known)",
        };
        Error($"must be {expected}, not {actual}.");
    }

    // ASCII digits only: \d would also take full-width and other Unicode digits, which no date parser reads.
    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}

/// <summary>
/// The properties of one JSON object. Reading a property marks it consumed; <see cref="RejectUnknown"/>
/// then reports the rest. The object's <see cref="ObjectShape"/> guards the reader itself: reading an
/// unlisted property, or leaving a listed one unread, is a bug in the reader and throws.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly ObjectShape shape;
    private readonly InputErrorList errors;
    private readonly List<(string Name, JsonValue Value)> properties = [];
    private readonly HashSet<string> consumed = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, InputLocation at, ObjectShape shape, InputErrorList errors)
    {
        At = at;
        this.shape = shape;
        this.errors = errors;
        var index = 0;
        foreach (var property in element.EnumerateObject())
        {
            var location = at.Property(property.Name, index++);
            if (Find(property.Name) is not null)
            {
                errors.Add(location, "is given more than once.");
                continue;
            }

            properties.Add((property.Name, new JsonValue(property.Value, location, errors)));
        }
    }

    public InputLocation At { get; }

    /// <summary>Whether the property is present (with any value); does not consume it.</summary>
    public bool Has(string name) => Find(Declared(name)) is not null;

    /// <summary>The property's location if present; otherwise where it would be, for "missing" errors.</summary>
    public InputLocation LocationOf(string name) => Find(Declared(name))?.At ?? At.Absent(name);

    public JsonValue? Optional(string name)
    {
        consumed.Add(Declared(name));
        return Find(name);
    }

    public JsonValue? Required(string name)
    {
        var value = Optional(name);
        if (value is null)
        {
            errors.Add(At.Absent(name), "is required.");
        }

        return value;
    }

    public string? OptionalString(string name) => Optional(name)?.String();

    public string? RequiredText(string name) => Required(name)?.Text();

    public int? OptionalInt(string name, int min, int max) => Optional(name)?.Int(min, max);

    public int? RequiredInt(string name, int min, int max) => Required(name)?.Int(min, max);

    public bool? OptionalBool(string name) => Optional(name)?.Bool();

    public T? OptionalEnum<T>(string name, EnumVocabulary<T> vocabulary)
        where T : struct, Enum => Optional(name)?.Enum(vocabulary);

    public T? RequiredEnum<T>(string name, EnumVocabulary<T> vocabulary)
        where T : struct, Enum => Required(name)?.Enum(vocabulary);

    public JsonObjectReader? OptionalObject(string name, ObjectShape shape) => Optional(name)?.Object(shape);

    public JsonObjectReader? RequiredObject(string name, ObjectShape shape) => Required(name)?.Object(shape);

    public IReadOnlyList<JsonValue>? OptionalArray(string name) => Optional(name)?.Array();

    /// <summary>Reports every property the object does not accept. Call after reading all of its properties.</summary>
    public void RejectUnknown()
    {
        foreach (var (name, value) in properties)
        {
            if (shape.Accepts(name))
            {
                continue;
            }

            var suggestion = NameSuggestions.Closest(name, shape.Properties);
            value.Error(suggestion is null
                ? $"is not a known property here (accepted: {string.Join(", ", shape.Properties)})."
                : $"is not a known property here; did you mean '{suggestion}'?");
        }

        var unread = shape.Properties.Where(p => !consumed.Contains(p)).ToArray();
        if (unread.Length > 0)
        {
            throw new InvalidOperationException($"The patient reader does not read {string.Join(", ", unread)} of {shape}.");
        }
    }

    private JsonValue? Find(string name)
    {
        foreach (var (n, value) in properties)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    private string Declared(string name) =>
        shape.Accepts(name) ? name : throw new InvalidOperationException($"PatientJsonShape does not list '{name}' for {shape}.");
}
