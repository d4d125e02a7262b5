import '@radlab/ui/style/index.css';
import './base.css';
