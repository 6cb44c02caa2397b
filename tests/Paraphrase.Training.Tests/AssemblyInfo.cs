// LibTorch's default random generator is global to the process: tests that seed it and draw from it
// (initialisation, dropout, data order) would disturb each other if they ran at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
