using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Knowledge;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Cards;

/// <summary>Patients as native JSON, decided by the real engine over the embedded knowledge base.</summary>
internal static class CardTestKit
{
    public const string HookInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";

    public static KnowledgeBase Kb => KnowledgeLoader.LoadEmbeddedOrThrow();

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ExamplesDirectory => Path.Combine(RepositoryRoot, "examples");

    public static IEnumerable<string> ExampleFiles() =>
        Directory.GetFiles(ExamplesDirectory, "*.json").OrderBy(f => f, StringComparer.Ordinal);

    public static string Example(string name) => File.ReadAllText(Path.Combine(ExamplesDirectory, name));

    public static Decision Decide(string json)
    {
        var read = PatientJsonReader.Read(json, Kb, new DateOnly(2030, 1, 1));
        Assert.True(read.IsValid, read.Describe());
        return new DecisionEngine(Kb).Decide(read.Patient, read.AsOf);
    }

    public static DecisionDocument Document(string json) => DecisionDocumentMapper.Map(Decide(json));

    public static CardContext Context(string patientId = "pat-1") => new()
    {
        HookInstance = HookInstance,
        PatientId = patientId,
        Knowledge = Kb,
    };

    /// <summary>An example with some top-level fields replaced or added.</summary>
    public static string With(string exampleName, params (string Field, JsonNode? Value)[] changes)
    {
        var patient = JsonNode.Parse(Example(exampleName))!.AsObject();
        foreach (var (field, value) in changes)
        {
            patient[field] = value;
        }

        return patient.ToJsonString();
    }

    // From the test binaries up; with --artifacts-path outside the repository, from this source file up.
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Herald.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Herald.slnx not found above " + AppContext.BaseDirectory + " or " + sourceFile);
    }
}
