using System.Runtime.InteropServices;

namespace Herald.Audit.Stores;

/// <summary>
/// Which file a path names: on Linux its device and inode, so a file deleted, or replaced by another under the same
/// name, is told apart from the one a connection holds open. Elsewhere only whether the file exists.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    // struct stat starts with st_dev then st_ino, 64 bits each, on Linux x64 and arm64; 256 bytes hold all of it.
    private const int StatBufferBytes = 256;

    private static readonly bool InodesKnown = OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The file's identity, or null when nothing is at the path (the file or its folder was deleted).</summary>
    public static FileIdentity? Of(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        if (!InodesKnown)
        {
            return new FileIdentity(0, 0);
        }

        var buffer = new byte[StatBufferBytes];
        try
        {
            if (Stat(path, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without stat (glibc before 2.33 exports only __xstat): existence is all we can tell.
            return new FileIdentity(0, 0);
        }

        return new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

#pragma warning disable SYSLIB1054 // a plain DllImport: LibraryImport would need unsafe code for one stat call
    [DllImport("libc", EntryPoint = "stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Stat(string path, byte[] buffer);
#pragma warning restore SYSLIB1054
}
