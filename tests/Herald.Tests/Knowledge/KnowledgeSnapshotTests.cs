using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Knowledge;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Knowledge;

/// <summary>
/// The start-up snapshot is the YAML knowledge, not a copy that can drift: every example decides byte for byte the same
/// from it, and a snapshot made from other knowledge files is never used.
/// </summary>
public sealed class KnowledgeSnapshotTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("herald-snapshot-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Every_example_decides_byte_for_byte_the_same_from_the_snapshot_as_from_the_yaml()
    {
        var path = Path.Combine(directory, KnowledgeSnapshot.FileName);
        KnowledgeSnapshot.Write(path);

        var fromSnapshot = KnowledgeLoader.LoadSnapshot(path);
        Assert.NotNull(fromSnapshot);
        Assert.True(fromSnapshot.Succeeded, string.Join("\n", fromSnapshot.Errors));
        var fromYaml = KnowledgeLoader.LoadEmbeddedYaml().Knowledge!;
        Assert.Equal(fromYaml.Version, fromSnapshot.Knowledge!.Version);

        var examples = Directory.GetFiles(Path.Combine(RepositoryRoot, "examples"), "*.json");
        Assert.NotEmpty(examples);
        foreach (var file in examples)
        {
            foreach (var edition in fromYaml.Editions)
            {
                Assert.Equal(Decide(fromYaml, file, edition.Id), Decide(fromSnapshot.Knowledge, file, edition.Id));
            }
        }
    }

    [Fact]
    public void A_snapshot_of_other_knowledge_files_is_not_used()
    {
        var path = Path.Combine(directory, KnowledgeSnapshot.FileName);
        KnowledgeSnapshot.Write(path);
        var snapshot = JsonNode.Parse(File.ReadAllText(path))!;
        snapshot["fingerprint"] = new string('0', 64);
        File.WriteAllText(path, snapshot.ToJsonString());

        Assert.Null(KnowledgeLoader.LoadSnapshot(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("""{ "fingerprint": 7 }""")]
    public void A_missing_or_damaged_snapshot_is_ignored_so_the_yaml_is_read(string content)
    {
        var path = Path.Combine(directory, KnowledgeSnapshot.FileName);
        Assert.Null(KnowledgeLoader.LoadSnapshot(path));

        File.WriteAllText(path, content);
        Assert.Null(KnowledgeLoader.LoadSnapshot(path));
    }

    private static string Decide(KnowledgeBase kb, string file, string edition)
    {
        var read = PatientJsonReader.Read(File.ReadAllText(file), kb, new DateOnly(2030, 1, 1));
        Assert.True(read.IsValid, read.Describe());
        var decision = new DecisionEngine(kb).Decide(read.Patient, read.AsOf, kb.FindEdition(edition));
        return DecisionJson.Serialize(DecisionDocumentMapper.Map(decision));
    }
}
