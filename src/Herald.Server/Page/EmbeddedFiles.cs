using System.Reflection;

namespace Herald.Server.Page;

/// <summary>The files compiled into an assembly under a logical-name prefix (see Herald.Server.csproj), read once.</summary>
internal static class EmbeddedFiles
{
    /// <summary>Each resource whose name starts with <paramref name="prefix"/>, keyed by the rest of its name.</summary>
    public static Dictionary<string, byte[]> Read(Assembly assembly, string prefix)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            found[path[prefix.Length..]] = buffer.ToArray();
        }

        return found;
    }
}
