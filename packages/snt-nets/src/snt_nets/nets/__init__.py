"""Networks built from the basic modules (``snt.nets.MLP``, ``snt.nets.ConvNet2D``)."""
