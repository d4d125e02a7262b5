import '@radlab/ui/style/index.css';
import '@radlab/ui/style/schema.css';
import './base.css';
import './sql.css';
import './imaging.css';
