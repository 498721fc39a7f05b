using System.Runtime.CompilerServices;

// The contract suite migrates to an older schema version to test the upgrade path.
[assembly: InternalsVisibleTo("Herald.Server.Tests")]
