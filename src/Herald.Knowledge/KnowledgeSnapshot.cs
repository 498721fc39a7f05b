using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;

namespace Herald.Knowledge;

/// <summary>
/// The embedded knowledge files, already parsed and validated, as one JSON document a process reads in milliseconds:
/// it skips the YAML parser and the JSON Schema validator, which dominate a command's start-up. A snapshot names the
/// fingerprint of the knowledge files it was made from; the loader uses it only when that equals the fingerprint of
/// the files built into this assembly, so a stale or foreign snapshot is ignored and the YAML is read as before.
/// The build writes one beside the command-line tool (`herald kb snapshot`); docs/performance.md, "Cold start".
/// The snapshot is made from the YAML, validated, by the same build that reads it, and a test checks that every example
/// decides byte for byte the same from it as from the YAML.
/// </summary>
public static class KnowledgeSnapshot
{
    /// <summary>The file name the loader looks for beside the running program.</summary>
    public const string FileName = "herald-knowledge.snapshot.json";

    /// <summary>
    /// Which build of the knowledge this process carries: the module version ids of Herald.Knowledge (whose embedded
    /// resources are the knowledge files) and of Herald.Core (whose definitions a snapshot holds). Builds are
    /// deterministic, so any change to a knowledge file or to the definitions changes it; reading it costs nothing,
    /// where hashing the files would cost a fifth of a command's start-up.
    /// </summary>
    public static string Fingerprint() =>
        $"{typeof(KnowledgeLoader).Assembly.ManifestModule.ModuleVersionId:N}.{typeof(KnowledgeDocument).Assembly.ManifestModule.ModuleVersionId:N}";

    /// <summary>Writes the snapshot of the embedded knowledge; fails with the load errors if the files have any.</summary>
    public static void Write(string path)
    {
        var read = KnowledgeLoader.ReadEmbeddedDocument();
        if (read.Document is null)
        {
            throw new KnowledgeLoadException(read.Errors);
        }

        var snapshot = new SnapshotFile(Fingerprint(), read.Document);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(snapshot, SnapshotJson.Default.SnapshotFile));
    }

    /// <summary>The knowledge document of the snapshot at <paramref name="path"/>, or null when it is absent, unreadable or stale.</summary>
    internal static KnowledgeDocument? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(path), SnapshotJson.Default.SnapshotFile);
            return snapshot is not null && snapshot.Fingerprint == Fingerprint() ? snapshot.Document : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null; // an optimisation only: the YAML is the source of truth
        }
    }

    internal sealed record SnapshotFile(string Fingerprint, KnowledgeDocument Document);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KnowledgeSnapshot.SnapshotFile))]
internal sealed partial class SnapshotJson : JsonSerializerContext;
