using System.Globalization;
using System.Text.RegularExpressions;
using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Herald.Knowledge;

/// <summary>
/// A knowledge file read from YAML into the JSON tree that the schemas validate and the definitions are
/// read from, remembering the line each value starts on. Paths are written
/// <c>statements[3].quote</c>; the root is the empty path.
/// </summary>
internal sealed partial class YamlJsonTree
{
    private readonly Dictionary<string, (int Line, JsonNode? Value)> nodes = new(StringComparer.Ordinal);
    private readonly HashSet<YamlNode> anchored = new(ReferenceEqualityComparer.Instance);

    private YamlJsonTree(string file) => File = file;

    /// <summary>The file as the knowledge base names it, e.g. <c>knowledge/agents.yaml</c>.</summary>
    public string File { get; }

    public JsonNode? Root { get; private set; }

    /// <summary>Parses one file; returns null, with the errors added, when it is not usable YAML.</summary>
    public static YamlJsonTree? Parse(string text, string file, List<KnowledgeError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(new KnowledgeError(
                new SourceLocation(file, (int)e.Start.Line),
                $"YAML syntax error at column {e.Start.Column}: {e.Message}"));
            return null;
        }

        var tree = new YamlJsonTree(file);
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            errors.Add(new KnowledgeError(
                new SourceLocation(file, (int)second.Start.Line),
                "a knowledge file holds a single YAML document; remove the '---' separator"));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return tree;
        }

        var errorCount = errors.Count;
        var root = stream.Documents[0].RootNode;
        tree.Root = tree.Convert(root, "", (int)root.Start.Line, errors);
        return errors.Count == errorCount ? tree : null;
    }

    /// <summary>The line of the value at a path, or of the nearest enclosing value (a missing property's object).</summary>
    public int LineOf(string path)
    {
        while (true)
        {
            if (nodes.TryGetValue(path, out var node))
            {
                return node.Line;
            }

            if (path.Length == 0)
            {
                return 1;
            }

            path = ParentOf(path);
        }
    }

    public SourceLocation LocationOf(string path) => new(File, LineOf(path));

    public JsonNode? ValueAt(string path) => nodes.TryGetValue(path, out var node) ? node.Value : null;

    /// <summary><c>statements[3].quote</c> → <c>statements[3]</c> → <c>statements</c> → the root.</summary>
    public static string ParentOf(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }

    /// <summary>The path a JSON Pointer into the tree names (<c>/statements/3/quote</c> → <c>statements[3].quote</c>).</summary>
    public string PathOf(string pointer)
    {
        var path = "";
        foreach (var raw in pointer.Split('/').Skip(1))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path = ValueAt(path) is JsonArray ? $"{path}[{segment}]" : path.Length == 0 ? segment : $"{path}.{segment}";
        }

        return path;
    }

    private JsonNode? Convert(YamlNode node, string path, int line, List<KnowledgeError> errors)
    {
        JsonNode? value;
        if (!node.Anchor.IsEmpty)
        {
            // Anchors and aliases would let one value stand at several places (and lines); knowledge files spell values out.
            if (anchored.Add(node))
            {
                errors.Add(new KnowledgeError(
                    new SourceLocation(File, (int)node.Start.Line),
                    $"anchors and aliases (&{node.Anchor}, *{node.Anchor}) are not supported; write the value out"));
            }

            value = null;
        }
        else
        {
            value = node switch
            {
                YamlScalarNode scalar => ScalarValue(scalar),
                YamlSequenceNode sequence => ConvertSequence(sequence, path, errors),
                YamlMappingNode mapping => ConvertMapping(mapping, path, errors),
                _ => null,
            };
        }

        nodes[path] = (line, value);
        return value;
    }

    private JsonArray ConvertSequence(YamlSequenceNode sequence, string path, List<KnowledgeError> errors)
    {
        var array = new JsonArray();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            array.Add(Convert(item, $"{path}[{i}]", (int)item.Start.Line, errors));
        }

        return array;
    }

    private JsonObject ConvertMapping(YamlMappingNode mapping, string path, List<KnowledgeError> errors)
    {
        var obj = new JsonObject();
        foreach (var (key, child) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                errors.Add(new KnowledgeError(new SourceLocation(File, (int)key.Start.Line), "a key must be a plain name"));
                continue;
            }

            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            obj[name] = Convert(child, childPath, (int)key.Start.Line, errors);
        }

        return obj;
    }

    /// <summary>
    /// Types a scalar by the YAML 1.2 core schema: only a plain (unquoted) scalar can be null, a boolean or
    /// a number, and yes/no/on/off stay text. The schemas then reject a number or boolean where text is
    /// expected, instead of it changing silently.
    /// </summary>
    private static JsonValue? ScalarValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
