using System.Globalization;
using System.Text.RegularExpressions;
using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Herald.Knowledge;

/// <summary>
/// A knowledge file read from YAML into the JSON tree that the schemas validate and the definitions are
/// read from, remembering the line each value starts on. Paths are written the way NJsonSchema reports
/// them: <c>statements[3].quote</c>; the root is the empty path.
/// </summary>
internal sealed partial class YamlJsonTree
{
    private readonly Dictionary<string, (int Line, JToken Value)> nodes = new(StringComparer.Ordinal);
    private readonly HashSet<YamlNode> anchored = new(ReferenceEqualityComparer.Instance);

    private YamlJsonTree(string file) => File = file;

    /// <summary>The file as the knowledge base names it, e.g. <c>knowledge/agents.yaml</c>.</summary>
    public string File { get; }

    public JToken Root { get; private set; } = JValue.CreateNull();

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

    public JToken? ValueAt(string path) => nodes.TryGetValue(path, out var node) ? node.Value : null;

    /// <summary><c>statements[3].quote</c> → <c>statements[3]</c> → <c>statements</c> → the root.</summary>
    public static string ParentOf(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }

    private JToken Convert(YamlNode node, string path, int line, List<KnowledgeError> errors)
    {
        JToken value;
        if (!node.Anchor.IsEmpty)
        {
            // Anchors and aliases would let one value stand at several places (and lines); knowledge files spell values out.
            if (anchored.Add(node))
            {
                errors.Add(new KnowledgeError(
                    new SourceLocation(File, (int)node.Start.Line),
                    $"anchors and aliases (&{node.Anchor}, *{node.Anchor}) are not supported; write the value out"));
            }

            value = JValue.CreateNull();
        }
        else
        {
            value = node switch
            {
                YamlScalarNode scalar => ScalarValue(scalar),
                YamlSequenceNode sequence => ConvertSequence(sequence, path, errors),
                YamlMappingNode mapping => ConvertMapping(mapping, path, errors),
                _ => JValue.CreateNull(),
            };
        }

        nodes[path] = (line, value);
        return value;
    }

    private JArray ConvertSequence(YamlSequenceNode sequence, string path, List<KnowledgeError> errors)
    {
        var array = new JArray();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            array.Add(Convert(item, $"{path}[{i}]", (int)item.Start.Line, errors));
        }

        return array;
    }

    private JObject ConvertMapping(YamlMappingNode mapping, string path, List<KnowledgeError> errors)
    {
        var obj = new JObject();
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
    private static JValue ScalarValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return new JValue(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => JValue.CreateNull(),
            "true" or "True" or "TRUE" => new JValue(true),
            "false" or "False" or "FALSE" => new JValue(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => new JValue(integer),
            _ when FloatPattern().IsMatch(text) => new JValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => new JValue(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
