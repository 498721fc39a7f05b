using System.Text;
using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Fuzz;

/// <summary>One request to send: the route, the media type (null: none) and the exact bytes, and what was done to them.</summary>
public sealed record FuzzCase(string Path, string? MediaType, byte[] Body, string Mutation);

/// <summary>
/// Structure-aware mutations of valid requests: a field deleted, duplicated or given another JSON type, null put into an
/// array, a lone surrogate escape, non-ASCII digits, a huge string or array, deep nesting, a member given twice, bytes
/// that are not UTF-8, a wrong Content-Type, a body cut short. Seeded: the same seed gives the same cases.
/// </summary>
public sealed class BodyMutator(int seed)
{
    private static readonly string[] Mutations =
    [
        "delete", "duplicate-member", "retype", "null-in-array", "lone-surrogate", "non-ascii-digits", "huge-string",
        "huge-array", "deep-nesting", "invalid-utf8", "wrong-content-type", "truncate", "swap", "empty-container",
    ];

    private readonly Random random = new(seed);

    public FuzzCase Mutate(string path, string mediaType, JsonNode valid)
    {
        var mutation = Mutations[random.Next(Mutations.Length)];
        var root = valid.DeepClone();
        var slots = Slots(root).ToList();
        var (parent, key) = slots.Count > 0 ? slots[random.Next(slots.Count)] : (null, null);
        switch (mutation)
        {
            case "delete" when parent is not null:
                Remove(parent, key!);
                break;
            case "retype" when parent is not null:
                Set(parent, key!, RandomValue());
                break;
            case "null-in-array":
                var arrays = Descendants(root).OfType<JsonArray>().ToList();
                if (arrays.Count > 0)
                {
                    var array = arrays[random.Next(arrays.Count)];
                    array.Insert(random.Next(array.Count + 1), null);
                }

                break;
            case "huge-string" when parent is not null:
                Set(parent, key!, new string('x', random.Next(10_000, 400_000)));
                break;
            case "huge-array" when parent is not null:
                Set(parent, key!, new JsonArray(Enumerable.Range(0, random.Next(1_000, 40_000)).Select(i => (JsonNode)JsonValue.Create(i)).ToArray()));
                break;
            case "deep-nesting" when parent is not null:
                var depth = random.Next(20, 200);
                Set(parent, key!, JsonNode.Parse(new string('[', depth) + "1" + new string(']', depth), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 }));
                break;
            case "swap" when slots.Count > 1:
                var (otherParent, otherKey) = slots[random.Next(slots.Count)];
                var a = Get(parent!, key!)?.DeepClone();
                var b = Get(otherParent!, otherKey!)?.DeepClone();
                if (!IsAncestor(parent!, key!, otherParent!) && !IsAncestor(otherParent!, otherKey!, parent!))
                {
                    Set(parent!, key!, b);
                    Set(otherParent!, otherKey!, a);
                }

                break;
            case "empty-container" when parent is not null:
                Set(parent, key!, random.Next(2) == 0 ? new JsonObject() : new JsonArray());
                break;
        }

        var text = root.ToJsonString();
        var bytes = mutation switch
        {
            "duplicate-member" => Encoding.UTF8.GetBytes(DuplicateMember(text)),
            "lone-surrogate" => Encoding.UTF8.GetBytes(IntoString(text, random.Next(2) == 0 ? "\\ud800" : "\\udfff")),
            "non-ascii-digits" => Encoding.UTF8.GetBytes(NonAsciiDigits(text)),
            "invalid-utf8" => InvalidUtf8(text),
            "truncate" => Encoding.UTF8.GetBytes(text[..random.Next(text.Length)]),
            _ => Encoding.UTF8.GetBytes(text),
        };
        var type = mutation == "wrong-content-type"
            ? new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null, "application/xml" }[random.Next(5)]
            : mediaType;
        return new FuzzCase(path, type, bytes, mutation);
    }

    private JsonNode? RandomValue() => random.Next(8) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(-5, 5) * 1e300),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create("２０２０-01-01"),
        4 => JsonValue.Create(true),
        5 => new JsonArray(),
        6 => new JsonObject { ["x"] = 1 },
        _ => JsonValue.Create(""),
    };

    private string DuplicateMember(string text)
    {
        // A member "name": value, given again right after itself (string and number values; enough to be ambiguous).
        var starts = AllIndexes(text, "\":").ToList();
        if (starts.Count == 0)
        {
            return text;
        }

        var colon = starts[random.Next(starts.Count)];
        var nameStart = text.LastIndexOf('"', colon - 1);
        if (nameStart < 0 || colon + 2 >= text.Length)
        {
            return text;
        }

        var valueEnd = colon + 2;
        if (text[valueEnd] == '"')
        {
            valueEnd = text.IndexOf('"', valueEnd + 1);
            while (valueEnd > 0 && text[valueEnd - 1] == '\\')
            {
                valueEnd = text.IndexOf('"', valueEnd + 1);
            }

            valueEnd++;
        }
        else
        {
            while (valueEnd < text.Length && text[valueEnd] is not (',' or '}' or ']'))
            {
                valueEnd++;
            }
        }

        if (valueEnd <= 0 || valueEnd > text.Length)
        {
            return text;
        }

        var member = text[nameStart..valueEnd];
        return text[..valueEnd] + "," + member + text[valueEnd..];
    }

    private string IntoString(string text, string insert)
    {
        var quotes = AllIndexes(text, ":\"").ToList();
        if (quotes.Count == 0)
        {
            return text;
        }

        var at = quotes[random.Next(quotes.Count)] + 2;
        return text[..at] + insert + text[at..];
    }

    private string NonAsciiDigits(string text)
    {
        var digits = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && i > 0 && text[i - 1] != '\\').ToList();
        if (digits.Count == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        var zero = random.Next(2) == 0 ? '０' : '٠'; // full-width or Arabic-Indic digits
        foreach (var i in digits.OrderBy(_ => random.Next()).Take(random.Next(1, 5)))
        {
            chars[i] = (char)(zero + (chars[i] - '0'));
        }

        return new string(chars);
    }

    private byte[] InvalidUtf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(IntoString(text, "@@"));
        var at = Array.IndexOf(bytes, (byte)'@');
        if (at < 0)
        {
            return [0xFF, .. bytes];
        }

        byte[][] bad = [[0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0], [0xC3, 0x28]];
        var pick = bad[random.Next(bad.Length)];
        bytes[at] = pick[0];
        bytes[at + 1] = pick[1];
        return bytes;
    }

    private static IEnumerable<int> AllIndexes(string text, string value)
    {
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            yield return i;
        }
    }

    private static IEnumerable<(JsonNode Parent, object Key)> Slots(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    yield return (obj, name);
                    if (child is not null)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, i);
                    if (array[i] is { } child)
                    {
                        foreach (var slot in Slots(child))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                foreach (var d in Descendants(child))
                {
                    yield return d;
                }
            }
        }
    }

    private static JsonNode? Get(JsonNode parent, object key) => key is string name ? parent[name] : parent[(int)key];

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (value?.Parent is not null)
        {
            value = value.DeepClone();
        }

        if (key is string name)
        {
            parent[name] = value;
        }
        else
        {
            parent[(int)key] = value;
        }
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (parent is JsonObject obj)
        {
            obj.Remove((string)key);
        }
        else if (parent is JsonArray array)
        {
            array.RemoveAt((int)key);
        }
    }

    // Whether the slot (parent, key) holds `other` somewhere inside it (a swap between them would make a cycle).
    private static bool IsAncestor(JsonNode parent, object key, JsonNode other)
    {
        var held = Get(parent, key);
        for (var node = other; node is not null; node = node.Parent)
        {
            if (ReferenceEquals(node, held))
            {
                return true;
            }
        }

        return false;
    }
}
