using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Herald.Benchmarks -- --filter '*'
// (docs/performance.md has the figures and how they were taken.)
BenchmarkSwitcher.FromAssembly(typeof(Herald.Benchmarks.DecisionBenchmarks).Assembly).Run(args);
