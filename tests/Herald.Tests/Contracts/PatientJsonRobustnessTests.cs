using System.Text.Json.Nodes;
using static Herald.Tests.Contracts.PatientJson;

namespace Herald.Tests.Contracts;

/// <summary>Any value anywhere: the reader reports, never throws, and never returns a patient with errors.</summary>
public sealed class PatientJsonRobustnessTests
{
    private static readonly string[] OddValues =
    [
        "null", "0", "-1", "1e400", "2.5", "\"\"", "\"x\"", "\"2024-02-30\"", "true", "[]", "{}", "[null]", "[{}]", "{\"x\":1}",
    ];

    /// <summary>Every node of the valid patient, as a way to replace it.</summary>
    private static IEnumerable<(string Path, Action<JsonNode> Replace)> Slots(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToArray())
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    yield return (childPath, value => obj[name] = value);
                    if (child is not null)
                    {
                        foreach (var slot in Slots(child, childPath))
                        {
                            yield return slot;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    var childPath = $"{path}[{i}]";
                    yield return (childPath, value => array[index] = value);
                    foreach (var slot in Slots(array[i]!, childPath))
                    {
                        yield return slot;
                    }
                }

                break;
        }
    }

    [Fact]
    public void Any_value_in_any_place_is_reported_not_thrown()
    {
        var slots = Slots(JsonNode.Parse(Valid)!, "").Select(s => s.Path).ToArray();
        foreach (var path in slots)
        {
            foreach (var odd in OddValues)
            {
                var root = JsonNode.Parse(Valid)!;
                var slot = Slots(root, "").Single(s => s.Path == path);
                slot.Replace(JsonNode.Parse(odd)!);
                var json = root.ToJsonString();

                var result = Read(json);

                Assert.True(result.IsValid == (result.Errors.Count == 0), $"{path} = {odd}");
                Assert.All(result.Errors, e =>
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Path), $"{path} = {odd}: empty path");
                    Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{path} = {odd}: empty message");
                });
            }
        }
    }

    [Fact]
    public void Huge_numbers_are_out_of_range()
    {
        var result = Read(p =>
        {
            p["age"] = JsonNode.Parse("1e400");
            p.Obj("receptors.her2")["ishRatio"] = JsonNode.Parse("1e400");
        });

        Assert.Contains(result.Errors, e => e.Path == "age" && e.Message.Contains("outside the range", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "receptors.her2.ishRatio" && e.Message.Contains("outside the range", StringComparison.Ordinal));
    }

    [Fact]
    public void Deeply_nested_json_is_a_syntax_error()
    {
        var json = new string('[', 200) + new string(']', 200);

        var error = Assert.Single(Read(json).Errors);
        Assert.Equal("$", error.Path);
    }
}
