using System.Text;
using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Fhir;
using Herald.Server.Tests.Cards;
using Herald.Server.Endpoints;
using Herald.Server.Pipeline;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// The REST answer is written from the document's bytes with the FHIR mapping spliced in as its last member. It must
/// be byte for byte what the tree it replaced wrote (the document read into a tree, the mapping added, the tree
/// written), or answers recorded before would no longer replay.
/// </summary>
public sealed class RestAnswerBytesTests
{
    private static readonly DateOnly Today = new(2030, 1, 1);

    public static TheoryData<string> NativeExamples() =>
        new(Directory.GetFiles(Path.Combine(CardTestKit.RepositoryRoot, "examples"), "*.json").Select(Path.GetFileName).Order()!);

    public static TheoryData<string> FhirInputs() =>
        new(Directory.GetFiles(Path.Combine(CardTestKit.RepositoryRoot, "examples", "fhir"), "*.bundle.json")
            .Concat(Directory.GetFiles(Path.Combine(CardTestKit.RepositoryRoot, "tests", "Herald.Fhir.Tests", "Bundles"), "*.json"))
            .Where(f => !f.EndsWith(".cds-hooks.json", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(CardTestKit.RepositoryRoot, f))
            .Order());

    [Theory]
    [MemberData(nameof(NativeExamples))]
    public void A_native_answer_is_the_bytes_the_tree_wrote(string name)
    {
        using var host = new HeraldHost(Today);
        var decisions = host.Service<DecisionService>();
        var json = File.ReadAllText(Path.Combine(CardTestKit.RepositoryRoot, "examples", name));

        var decided = decisions.FromNative(json, null, null, Today);
        Assert.NotNull(decided.Document);
        AssertSameBytes(DecisionJson.SerializeToUtf8(decided.Document), null);

        var compared = decisions.CompareNative(json, null, Today);
        Assert.NotNull(compared.Document);
        AssertSameBytes(BrowseJson.SerializeToUtf8(compared.Document), null);
    }

    [Theory]
    [MemberData(nameof(FhirInputs))]
    public void A_FHIR_answer_with_its_mapping_is_the_bytes_the_tree_wrote(string path)
    {
        using var host = new HeraldHost(Today);
        var decisions = host.Service<DecisionService>();
        var read = FhirResourceSet.Parse(File.ReadAllText(Path.Combine(CardTestKit.RepositoryRoot, path)));
        Assert.True(read.IsValid, string.Join("\n", read.Errors));

        // Every input here is a whole record Herald decides from: the splice is tested on each, never skipped.
        var decided = decisions.FromFhir(read.Resources, null, null, null, Today);
        Assert.True(decided.Document is not null, string.Join("\n", decided.Errors.Select(e => $"{e.Path}: {e.Message}")));
        AssertSameBytes(DecisionJson.SerializeToUtf8(decided.Document), decided.Mapping);

        var compared = decisions.CompareFhir(read.Resources, null, null, Today);
        Assert.NotNull(compared.Document);
        AssertSameBytes(BrowseJson.SerializeToUtf8(compared.Document), compared.Mapping);
    }

    private static void AssertSameBytes(byte[] document, FhirMappingResult? mapping)
    {
        var tree = JsonNode.Parse(Encoding.UTF8.GetString(document))!.AsObject();
        if (mapping is not null)
        {
            tree["fhirMapping"] = RecommendationEndpoints.FhirMappingNode(mapping);
        }

        Assert.Equal(tree.ToJsonString(Herald.Server.Endpoints.Json.Indented), Encoding.UTF8.GetString(RecommendationEndpoints.WithMapping(document, mapping)));
    }
}
